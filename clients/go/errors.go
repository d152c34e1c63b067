package pm

import (
	"errors"
	"fmt"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// errorCodeKey is the trailer in which the daemon names its error code exactly
// (src/proto/status-codes.ts): several codes share one gRPC status.
const errorCodeKey = "statevisor-error-code"

// statevisor's error codes (src/errors.ts).
const (
	CodeNotFound         = "E_NOT_FOUND"
	CodeAlreadyExists    = "E_ALREADY_EXISTS"
	CodeSpecInvalid      = "E_SPEC_INVALID"
	CodeInvalidArgument  = "E_INVALID_ARGUMENT"
	CodeInvalidState     = "E_INVALID_STATE"
	CodeUnavailable      = "E_UNAVAILABLE"
	CodeUnauthenticated  = "E_UNAUTHENTICATED"
	CodeUnimplemented    = "E_UNIMPLEMENTED"
	CodeShutdownDeadline = "E_SHUTDOWN_DEADLINE"
	CodeDeadlineExceeded = "E_DEADLINE_EXCEEDED"
	CodeStartFailed      = "E_START_FAILED"
	CodeCancelled        = "E_CANCELLED"
	CodeInternal         = "E_INTERNAL"
)

var knownCodes = map[string]bool{
	CodeNotFound: true, CodeAlreadyExists: true, CodeSpecInvalid: true, CodeInvalidArgument: true,
	CodeInvalidState: true, CodeUnavailable: true, CodeUnauthenticated: true, CodeUnimplemented: true,
	CodeShutdownDeadline: true, CodeDeadlineExceeded: true, CodeStartFailed: true, CodeCancelled: true,
	CodeInternal: true,
}

// Error is what every failed call returns: statevisor's code, the daemon's message, and the gRPC
// status it came with (status.FromError and status.Code read it as usual).
type Error struct {
	// Code is the daemon's own (E_NOT_FOUND, …) from its trailer, else the likeliest for the
	// gRPC status (another server, a transport failure, this client's deadline).
	Code    string
	Message string
	// RPC is the call that failed, e.g. "StartProcess".
	RPC    string
	status *status.Status
}

func (e *Error) Error() string {
	return fmt.Sprintf("statevisor: %s: %s (%s)", e.RPC, e.Message, e.Code)
}

// GRPCStatus is the status the call failed with.
func (e *Error) GRPCStatus() *status.Status { return e.status }

func rpcError(rpc string, err error, trailer metadata.MD) error {
	st, _ := status.FromError(err)
	code := ""
	if values := trailer.Get(errorCodeKey); len(values) > 0 && knownCodes[values[0]] {
		code = values[0]
	} else {
		// A newer daemon's unknown code, or no trailer: the status decides.
		code = codeOfStatus(st.Code())
	}
	return &Error{Code: code, Message: st.Message(), RPC: rpc, status: st}
}

// codeOfStatus is errorCodeOfStatus of src/proto/status-codes.ts.
func codeOfStatus(c codes.Code) string {
	switch c {
	case codes.NotFound:
		return CodeNotFound
	case codes.AlreadyExists:
		return CodeAlreadyExists
	case codes.InvalidArgument:
		return CodeInvalidArgument
	case codes.FailedPrecondition:
		return CodeInvalidState
	case codes.Unavailable:
		return CodeUnavailable
	case codes.Unauthenticated:
		return CodeUnauthenticated
	case codes.Unimplemented:
		return CodeUnimplemented
	case codes.DeadlineExceeded:
		return CodeDeadlineExceeded
	case codes.Canceled:
		return CodeCancelled
	default:
		return CodeInternal
	}
}

// ErrorCode is err's statevisor code ("E_NOT_FOUND", …), or "" when err did not come from a call.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// IsNotFound: no process of that name or id.
func IsNotFound(err error) bool { return ErrorCode(err) == CodeNotFound }

// IsAlreadyExists: a process of that name exists.
func IsAlreadyExists(err error) bool { return ErrorCode(err) == CodeAlreadyExists }

// IsInvalidState: the process is in the wrong state for the request (start while running,
// delete while running without force). A failed start (E_START_FAILED) is not one, though both
// travel as FAILED_PRECONDITION: the daemon's trailer tells them apart.
func IsInvalidState(err error) bool { return ErrorCode(err) == CodeInvalidState }

// IsInvalidArgument: the request was refused, with the field, value and expectation in the message.
func IsInvalidArgument(err error) bool {
	code := ErrorCode(err)
	return code == CodeInvalidArgument || code == CodeSpecInvalid
}

// IsUnavailable: no daemon answers there, or it is shutting down.
func IsUnavailable(err error) bool { return ErrorCode(err) == CodeUnavailable }

// IsUnauthenticated: the TCP listener wants a valid token or client certificate.
func IsUnauthenticated(err error) bool { return ErrorCode(err) == CodeUnauthenticated }
