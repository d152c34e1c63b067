package pm

import (
	"net"
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	v1 "github.com/statevisor/statevisor/clients/go/statevisorv1"
)

// invalid is a request refused before it is sent, in the shape of the daemon's refusals.
func invalid(rpc, format string, args ...interface{}) error {
	return failure(rpc, CodeInvalidArgument, codes.InvalidArgument, format, args...)
}

func ms(seconds int) *int64 {
	value := int64(seconds) * 1000
	return &value
}

func positive(value int64) *int64 {
	if value <= 0 {
		return nil
	}
	return &value
}

func specOf(req *CreateRequest) (*v1.ProcessSpec, error) {
	spec := &v1.ProcessSpec{Name: req.Name, Command: req.Command, Args: req.Args, Env: req.Env}
	if req.WorkingDir != "" {
		spec.WorkingDir = &req.WorkingDir
	}
	if req.AutoStart {
		spec.AutoStart = &req.AutoStart
	}
	if req.RestartPolicy != "" || req.RestartSec != 0 {
		spec.Restart = &v1.RestartSpec{}
		if req.RestartPolicy != "" {
			// Sent as written: the daemon reads the reference's "never" as its own "no".
			spec.Restart.Policy = &req.RestartPolicy
		}
		if req.RestartSec != 0 {
			spec.Restart.DelayMs = ms(req.RestartSec)
		}
	}
	if limits := req.ResourceLimits; limits != nil {
		spec.Resources = &v1.ResourcesSpec{CpuMillis: positive(limits.Cpu), MemoryBytes: positive(limits.Memory), Pids: positive(limits.Pids)}
	}
	if req.HealthCheck != nil {
		check, err := healthCheckOf(req.HealthCheck)
		if err != nil {
			return nil, err
		}
		spec.HealthCheck = check
	}
	return spec, nil
}

func healthCheckOf(hc *HealthCheck) (*v1.HealthCheckSpec, error) {
	check := &v1.HealthCheckSpec{Type: hc.Type}
	switch hc.Type {
	case "http":
		check.Url = &hc.Endpoint
	case "tcp", "grpc":
		host, port, err := net.SplitHostPort(hc.Endpoint)
		number, convErr := strconv.ParseInt(port, 10, 64)
		if err != nil || convErr != nil {
			return nil, invalid("CreateProcess", `HealthCheck.Endpoint: %q: expected "host:port" for a %s check`, hc.Endpoint, hc.Type)
		}
		check.Host, check.Port = &host, &number
	case "exec":
		argv := strings.Fields(hc.Endpoint)
		if len(argv) == 0 {
			return nil, invalid("CreateProcess", "HealthCheck.Endpoint: empty: expected the command line of an exec check")
		}
		check.Command, check.Args = &argv[0], argv[1:]
	}
	// Any other type goes as it is: the daemon refuses it, quoting it.
	if hc.Interval > 0 {
		check.IntervalMs = ms(hc.Interval)
	}
	if hc.Timeout > 0 {
		check.TimeoutMs = ms(hc.Timeout)
	}
	check.FailureThreshold = positive(int64(hc.Retries))
	check.RestartAfter = positive(int64(hc.RestartAfter))
	return check, nil
}

func updateOf(req *UpdateRequest) *v1.UpdateProcessRequest {
	spec := &v1.ProcessSpec{Name: req.ProcessName}
	var paths []string
	if req.RestartPolicy != nil || req.RestartSec != nil {
		spec.Restart = &v1.RestartSpec{}
	}
	if req.RestartPolicy != nil {
		spec.Restart.Policy = req.RestartPolicy
		paths = append(paths, "restart.policy")
	}
	if req.RestartSec != nil {
		spec.Restart.DelayMs = ms(*req.RestartSec)
		paths = append(paths, "restart.delay_ms")
	}
	if req.Env != nil {
		spec.Env = req.Env
		paths = append(paths, "env")
	}
	return &v1.UpdateProcessRequest{
		NameOrId:       req.ProcessName,
		Spec:           spec,
		UpdateMask:     &fieldmaskpb.FieldMask{Paths: paths},
		RestartProcess: req.RestartProcess,
	}
}

// enumName: PROCESS_STATE_RUNNING → "running"; a value this client does not know → "unknown".
func enumName(name, prefix string) string {
	if !strings.HasPrefix(name, prefix) {
		return "unknown"
	}
	return strings.ToLower(strings.TrimPrefix(name, prefix))
}

func stateName(state v1.ProcessState) string {
	if state == v1.ProcessState_PROCESS_STATE_UNSPECIFIED {
		return "unknown"
	}
	return enumName(state.String(), "PROCESS_STATE_")
}

func timeOf(ts *timestamppb.Timestamp) time.Time {
	if ts == nil {
		return time.Time{}
	}
	return ts.AsTime()
}

func processOf(wire *v1.Process) *Process {
	if wire == nil {
		return nil
	}
	p := &Process{
		Id:           wire.Id,
		Name:         wire.Name,
		State:        stateName(wire.State),
		Pid:          int(wire.Pid),
		Phase:        enumName(wire.Phase.String(), "PHASE_"),
		Health:       enumName(wire.Health.String(), "HEALTH_STATUS_"),
		RunCount:     int(wire.RunCount),
		RestartCount: int(wire.RestartCount),
		Signal:       wire.GetSignal(),
		LastError:    wire.LastError,
		Command:      wire.Command,
		Args:         wire.Args,
		Labels:       wire.Labels,
		CreatedAt:    timeOf(wire.CreatedAt),
		StartedAt:    timeOf(wire.StartedAt),
		EndedAt:      timeOf(wire.EndedAt),
		Uptime:       time.Duration(wire.UptimeMs) * time.Millisecond,
		CpuPercent:   wire.CpuPercent,
		MemoryBytes:  wire.MemoryBytes,
	}
	if wire.ExitCode != nil {
		code := int(*wire.ExitCode)
		p.ExitCode = &code
	}
	return p
}

func enforcementOf(wire []*v1.Enforcement) []Enforcement {
	out := make([]Enforcement, 0, len(wire))
	for _, e := range wire {
		out = append(out, Enforcement{Field: e.Field, Enforced: e.Enforced, Detail: e.Detail})
	}
	return out
}

func usageOf(wire *v1.GetResourceUsageResponse) *ResourceUsage {
	return &ResourceUsage{
		CpuUserUs:         wire.CpuUserUs,
		CpuSystemUs:       wire.CpuSystemUs,
		CpuPercent:        wire.CpuPercent,
		RssBytes:          wire.RssBytes,
		CgroupMemoryBytes: wire.CgroupMemoryBytes,
		MemoryLimitBytes:  wire.MemoryLimitBytes,
		CpuLimitMillis:    wire.CpuLimitMillis,
		PidsLimit:         wire.PidsLimit,
		Pids:              int(wire.Pids),
		Fds:               int(wire.Fds),
		IoReadBytes:       wire.IoReadBytes,
		IoWriteBytes:      wire.IoWriteBytes,
		Source:            wire.Source,
		Limits:            enforcementOf(wire.Limits),
	}
}

func statusOf(wire *v1.GetStatusResponse) *StatusResponse {
	counts := make(map[string]int, len(wire.CountsByState))
	for state, n := range wire.CountsByState {
		counts[strings.ToLower(state)] = int(n)
	}
	listeners := make([]Listener, 0, len(wire.Listeners))
	for _, l := range wire.Listeners {
		listeners = append(listeners, Listener{Kind: l.Kind, Address: l.Address})
	}
	return &StatusResponse{
		Version:       wire.Version,
		Pid:           int(wire.Pid),
		Uptime:        time.Duration(wire.UptimeMs) * time.Millisecond,
		ProcessCount:  int(wire.ProcessCount),
		CountsByState: counts,
		Listeners:     listeners,
		StateDir:      wire.StateDir,
		ConfigPath:    wire.ConfigPath,
	}
}
