package pm

import (
	"context"
	"fmt"
	"io"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	v1 "github.com/statevisor/statevisor/clients/go/statevisorv1"
)

// StartProcess and RestartProcess return once the run they asked for has spawned its process, as
// the reference client's did ("includes process spawn"): so a List right after shows it running
// with its pid. The daemon's RPC returns as soon as the start has begun; the rest is watched on
// WatchEvents, whose snapshot (sent first) is the state after the start, so nothing is missed
// between the two calls. Spawned: a pid, or RUNNING, or EXITED (a one-shot job already done).
// Failed: BACKOFF, FAILED or STOPPED — an *Error with code E_START_FAILED and the daemon's reason.
// A health check's verdict is not awaited (the process is STARTING, with its pid, until healthy),
// nor is a socket-activated run's first connection (bounded by the call's deadline).

// startWait is what a call that waits for a spawn adds to the default deadline: the spec's
// default start_timeout (90 s) and the daemon's margin for its verdict (10 s), src/deadlines.ts.
const startWait = 100 * time.Second

// startAndAwait runs a start (or restart) within the default deadline plus wait, then awaits
// the spawn of the run it began.
func (c *Client) startAndAwait(ctx context.Context, rpc string, wait time.Duration, start func(context.Context, grpc.CallOption) (*v1.Process, error)) error {
	ctx, cancel := c.bounded(ctx, wait)
	defer cancel()
	started, err := unary(c, ctx, rpc, 0, start)
	if err != nil {
		return err
	}
	return c.awaitSpawn(ctx, rpc, started)
}

func (c *Client) awaitSpawn(ctx context.Context, rpc string, started *v1.Process) error {
	if done, err := spawnVerdict(rpc, started); done {
		return err
	}
	watch, stop := context.WithCancel(ctx)
	defer stop()
	events, err := c.rpc.WatchEvents(watch, &v1.WatchEventsRequest{NameOrId: started.Id})
	if err != nil {
		return rpcError(rpc, err, nil)
	}
	for {
		resp, err := events.Recv()
		if err == io.EOF {
			return failure(rpc, CodeUnavailable, codes.Unavailable, "the daemon ended the event stream before %s had started", started.Name)
		}
		if err != nil {
			return rpcError(rpc, err, events.Trailer())
		}
		event := resp.GetEvent()
		if event.GetType() == "deleted" {
			return failure(rpc, CodeNotFound, codes.NotFound, "%s was deleted while it started", started.Name)
		}
		if done, err := spawnVerdict(rpc, event.GetProcess()); done {
			return err
		}
	}
}

func spawnVerdict(rpc string, p *v1.Process) (bool, error) {
	if p == nil {
		return false, nil
	}
	switch p.State {
	case v1.ProcessState_PROCESS_STATE_RUNNING, v1.ProcessState_PROCESS_STATE_EXITED:
		return true, nil
	case v1.ProcessState_PROCESS_STATE_BACKOFF, v1.ProcessState_PROCESS_STATE_FAILED, v1.ProcessState_PROCESS_STATE_STOPPED:
		return true, failure(rpc, CodeStartFailed, codes.FailedPrecondition, "%s did not start (%s): %s", p.Name, stateName(p.State), p.LastError)
	}
	return p.Pid > 0, nil
}

func failure(rpc, code string, grpcCode codes.Code, format string, args ...interface{}) error {
	message := fmt.Sprintf(format, args...)
	return &Error{Code: code, Message: message, RPC: rpc, status: status.New(grpcCode, message)}
}
