package pm

import (
	"context"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"

	v1 "github.com/statevisor/statevisor/clients/go/statevisorv1"
)

// unary runs one RPC within the client's default deadline (plus extra for calls that wait for a
// stop) and turns a failure into an *Error with the daemon's code read from its trailer.
func unary[Resp any](c *Client, ctx context.Context, rpc string, extra time.Duration, invoke func(context.Context, grpc.CallOption) (Resp, error)) (Resp, error) {
	ctx, cancel := c.bounded(ctx, extra)
	defer cancel()
	var trailer metadata.MD
	resp, err := invoke(ctx, grpc.Trailer(&trailer))
	if err != nil {
		return resp, rpcError(rpc, err, trailer)
	}
	return resp, nil
}

// CreateProcess creates a new process (and starts it with AutoStart).
func (c *Client) CreateProcess(ctx context.Context, req *CreateRequest) (*Process, error) {
	spec, err := specOf(req)
	if err != nil {
		return nil, err
	}
	resp, err := unary(c, ctx, "CreateProcess", 0, func(ctx context.Context, trailer grpc.CallOption) (*v1.CreateProcessResponse, error) {
		return c.rpc.CreateProcess(ctx, &v1.CreateProcessRequest{Spec: spec}, trailer)
	})
	return processOf(resp.GetProcess()), err
}

// StartProcess starts a process by ID or name: it returns once the run has spawned its process
// (see spawn_wait.go), or with an E_START_FAILED *Error if it failed first.
func (c *Client) StartProcess(ctx context.Context, idOrName string) error {
	return c.startAndAwait(ctx, "StartProcess", startWait, func(ctx context.Context, trailer grpc.CallOption) (*v1.Process, error) {
		resp, err := c.rpc.StartProcess(ctx, &v1.StartProcessRequest{NameOrId: idOrName}, trailer)
		return resp.GetProcess(), err
	})
}

// StopProcess stops a process by ID or name: it returns once the process has stopped (its stop
// signal, then SIGKILL after the grace period). Stopping a stopped process is no error.
func (c *Client) StopProcess(ctx context.Context, idOrName string) error {
	_, err := unary(c, ctx, "StopProcess", stopWait, func(ctx context.Context, trailer grpc.CallOption) (*v1.StopProcessResponse, error) {
		return c.rpc.StopProcess(ctx, &v1.StopProcessRequest{NameOrId: idOrName}, trailer)
	})
	return err
}

// RestartProcess restarts a process by ID or name: a stop, then a start, returning once the new
// run has spawned its process, as StartProcess does.
func (c *Client) RestartProcess(ctx context.Context, idOrName string) error {
	return c.startAndAwait(ctx, "RestartProcess", stopWait+startWait, func(ctx context.Context, trailer grpc.CallOption) (*v1.Process, error) {
		resp, err := c.rpc.RestartProcess(ctx, &v1.RestartProcessRequest{NameOrId: idOrName}, trailer)
		return resp.GetProcess(), err
	})
}

// DeleteProcess deletes a process by ID or name; force stops a running one first (without it,
// a running process is an IsInvalidState error).
func (c *Client) DeleteProcess(ctx context.Context, idOrName string, force bool) error {
	var extra time.Duration
	if force {
		extra = stopWait
	}
	_, err := unary(c, ctx, "DeleteProcess", extra, func(ctx context.Context, trailer grpc.CallOption) (*v1.DeleteProcessResponse, error) {
		return c.rpc.DeleteProcess(ctx, &v1.DeleteProcessRequest{NameOrId: idOrName, Force: force}, trailer)
	})
	return err
}

// ListProcesses lists all processes.
func (c *Client) ListProcesses(ctx context.Context) ([]*Process, error) {
	resp, err := unary(c, ctx, "ListProcesses", 0, func(ctx context.Context, trailer grpc.CallOption) (*v1.ListProcessesResponse, error) {
		return c.rpc.ListProcesses(ctx, &v1.ListProcessesRequest{}, trailer)
	})
	if err != nil {
		return nil, err
	}
	processes := make([]*Process, 0, len(resp.Processes))
	for _, p := range resp.Processes {
		processes = append(processes, processOf(p))
	}
	return processes, nil
}

// DescribeProcess gets detailed information about a process by ID or name.
func (c *Client) DescribeProcess(ctx context.Context, idOrName string) (*Process, error) {
	resp, err := unary(c, ctx, "DescribeProcess", 0, func(ctx context.Context, trailer grpc.CallOption) (*v1.DescribeProcessResponse, error) {
		return c.rpc.DescribeProcess(ctx, &v1.DescribeProcessRequest{NameOrId: idOrName}, trailer)
	})
	return processOf(resp.GetProcess()), err
}

// UpdateProcess updates a process configuration: the fields the request sets, at once where
// they can be (restart policy and delay), else with the next run (env) or a restart it asks for.
func (c *Client) UpdateProcess(ctx context.Context, req *UpdateRequest) (*UpdateResponse, error) {
	var extra time.Duration
	if req.RestartProcess {
		extra = stopWait
	}
	resp, err := unary(c, ctx, "UpdateProcess", extra, func(ctx context.Context, trailer grpc.CallOption) (*v1.UpdateProcessResponse, error) {
		return c.rpc.UpdateProcess(ctx, updateOf(req), trailer)
	})
	if err != nil {
		return nil, err
	}
	return &UpdateResponse{
		UpdatedFields:         resp.UpdatedFields,
		RestartRequiredFields: resp.RestartRequiredFields,
		ProcessRestarted:      resp.ProcessRestarted,
		Process:               processOf(resp.Process),
	}, nil
}

// GetResourceUsage gets resource usage statistics for a process by ID or name.
func (c *Client) GetResourceUsage(ctx context.Context, idOrName string) (*ResourceUsage, error) {
	resp, err := unary(c, ctx, "GetResourceUsage", 0, func(ctx context.Context, trailer grpc.CallOption) (*v1.GetResourceUsageResponse, error) {
		return c.rpc.GetResourceUsage(ctx, &v1.GetResourceUsageRequest{NameOrId: idOrName}, trailer)
	})
	if err != nil {
		return nil, err
	}
	return usageOf(resp), nil
}

// Health checks that the daemon answers grpc.health.v1 as SERVING.
func (c *Client) Health(ctx context.Context) error {
	resp, err := unary(c, ctx, "Health", 0, func(ctx context.Context, trailer grpc.CallOption) (*healthpb.HealthCheckResponse, error) {
		return healthpb.NewHealthClient(c.conn).Check(ctx, &healthpb.HealthCheckRequest{}, trailer)
	})
	if err != nil {
		return err
	}
	if resp.Status != healthpb.HealthCheckResponse_SERVING {
		return failure("Health", CodeUnavailable, codes.Unavailable, "the daemon answers %s", resp.Status)
	}
	return nil
}

// Status gets detailed daemon status.
func (c *Client) Status(ctx context.Context) (*StatusResponse, error) {
	resp, err := unary(c, ctx, "GetStatus", 0, func(ctx context.Context, trailer grpc.CallOption) (*v1.GetStatusResponse, error) {
		return c.rpc.GetStatus(ctx, &v1.GetStatusRequest{}, trailer)
	})
	if err != nil {
		return nil, err
	}
	return statusOf(resp), nil
}
