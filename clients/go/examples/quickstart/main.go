// The Quick Start of the reference client's README, as written there; only the import path is
// statevisor's. main_test.go runs it against a daemon.
package main

import (
    "context"
    "fmt"
    "log"
    
    pm "github.com/statevisor/statevisor/clients/go"
)

func main() {
    // Connect to the daemon (Unix socket by default)
    client, err := pm.NewClient()
    if err != nil {
        log.Fatal(err)
    }
    defer client.Close()
    
    ctx := context.Background()
    
    // Create a process
    process, err := client.CreateProcess(ctx, &pm.CreateRequest{
        Name:    "my-app",
        Command: "/usr/bin/python3",
        Args:    []string{"app.py"},
    })
    if err != nil {
        log.Fatal(err)
    }
    fmt.Printf("Created process: %s\n", process.Id)
    
    // Start the process
    if err := client.StartProcess(ctx, process.Id); err != nil {
        log.Fatal(err)
    }
    fmt.Println("Process started")
    
    // List all processes
    processes, err := client.ListProcesses(ctx)
    if err != nil {
        log.Fatal(err)
    }
    
    for _, p := range processes {
        fmt.Printf("%s: %s (PID: %d)\n", p.Name, p.State, p.Pid)
    }
    
    // Stop the process
    if err := client.StopProcess(ctx, process.Id); err != nil {
        log.Fatal(err)
    }
    fmt.Println("Process stopped")
}
