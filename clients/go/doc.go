// Package pm is statevisor's Go client: the API of the DataDog Process Manager's Go client
// (NewClient, CreateProcess, StartProcess, …, IsNotFound), spoken over statevisor's own gRPC
// contract, proto/statevisor/v1/process_manager.proto, whose generated stubs are in
// ./statevisorv1. A program written for that client runs against `statevisor daemon` with only
// its import path changed:
//
//	pm "github.com/statevisor/statevisor/clients/go"
//
// Where the two daemons differ, this package maps one onto the other and says so on the field:
// durations are seconds here and milliseconds on the wire; RestartPolicy "never" is statevisor's
// "no"; State is the proto's ProcessState in lower case ("running", "stopped", …).
//
// A Client holds one gRPC connection and nothing else that changes, so it is safe for concurrent
// use: every method may be called from many goroutines at once.
package pm
