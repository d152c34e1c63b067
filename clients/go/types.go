package pm

import "time"

// CreateRequest defines a process. Zero values leave the daemon's defaults (README § Defaults).
type CreateRequest struct {
	// Name: unique, ^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$.
	Name    string
	Command string
	Args    []string
	// Env and WorkingDir are statevisor's additions to the reference's request.
	Env        map[string]string
	WorkingDir string
	// AutoStart starts the process at once, and again whenever the daemon starts.
	AutoStart bool
	// RestartPolicy: "always", "never" (statevisor's "no"), "on-failure", "on-success"; ""
	// leaves the daemon's default, on-failure.
	RestartPolicy string
	// RestartSec is the delay before a restart, in seconds (the first one: the delay doubles
	// on each failure in a row, up to 30 s); 0 leaves the default, 100 ms.
	RestartSec     int
	ResourceLimits *ResourceLimits
	HealthCheck    *HealthCheck
}

// ResourceLimits caps the process's cgroup (README § Resource limits and usage); 0: no limit.
type ResourceLimits struct {
	// Cpu in millicores: 1000 is one CPU.
	Cpu int64
	// Memory in bytes.
	Memory int64
	// Pids: processes and threads.
	Pids int64
}

// HealthCheck probes the process while it runs (README § Health checks).
type HealthCheck struct {
	// Type: "http", "tcp", "exec" or "grpc".
	Type string
	// Endpoint: the URL (http), "host:port" (tcp, grpc), or the command line (exec, split at
	// spaces into the command and its arguments).
	Endpoint string
	// Interval and Timeout in seconds; 0 leaves the defaults (10 s, 1 s).
	Interval int
	Timeout  int
	// Retries: failures in a row that make it unhealthy (failure_threshold); 0 the default, 3.
	Retries int
	// RestartAfter: failures in a row that restart it; 0 only reports (a liveness probe off).
	RestartAfter int
}

// UpdateRequest changes the fields it sets and leaves the others as they are.
type UpdateRequest struct {
	// ProcessName: the name or the id.
	ProcessName   string
	RestartPolicy *string
	// RestartSec in seconds.
	RestartSec *int
	// Env replaces the environment (a restart-required field: it reaches the running workload
	// with its next run). Nil leaves it; an empty map clears it.
	Env map[string]string
	// RestartProcess restarts the process to apply what needs a restart (this update's fields
	// and any an earlier update left pending).
	RestartProcess bool
}

// UpdateResponse says what changed and what still waits for a restart.
type UpdateResponse struct {
	// UpdatedFields: the spec fields that changed, e.g. "restart.policy".
	UpdatedFields []string
	// RestartRequiredFields: what the running workload lacks until a restart.
	RestartRequiredFields []string
	ProcessRestarted      bool
	Process               *Process
}

// Process is one process as the daemon shows it.
type Process struct {
	// Id: a UUID given at create.
	Id   string
	Name string
	// State: "created", "starting", "running", "backoff", "stopping", "stopped", "exited",
	// "failed" (the proto's ProcessState in lower case; "unknown" for a value this client does
	// not know).
	State string
	// Pid of the running workload; 0 when none.
	Pid int
	// Phase: the chart's, "starting", "syncing", "terminating", "terminated", "finished".
	Phase string
	// Health: "unknown", "starting", "healthy", "unhealthy".
	Health       string
	RunCount     int
	RestartCount int
	// ExitCode of the last run that exited normally; nil otherwise.
	ExitCode *int
	// Signal that ended the last run ("SIGKILL"); "" otherwise.
	Signal      string
	LastError   string
	Command     string
	Args        []string
	Labels      map[string]string
	CreatedAt   time.Time
	StartedAt   time.Time
	EndedAt     time.Time
	Uptime      time.Duration
	CpuPercent  float64
	MemoryBytes int64
}

// ResourceUsage of the process's whole tree, from its cgroup or from /proc (Source says which).
type ResourceUsage struct {
	CpuUserUs   int64
	CpuSystemUs int64
	CpuPercent  float64
	RssBytes    int64
	// CgroupMemoryBytes: the cgroup's charge, page cache included; 0 without a cgroup.
	CgroupMemoryBytes int64
	MemoryLimitBytes  int64
	CpuLimitMillis    int64
	PidsLimit         int64
	Pids              int
	Fds               int
	IoReadBytes       int64
	IoWriteBytes      int64
	// Source: "cgroup" or "proc".
	Source string
	// Limits: whether each limit of the spec is in force, and how or why not.
	Limits []Enforcement
}

// Enforcement says whether a spec field is in force, and how or why not.
type Enforcement struct {
	Field    string
	Enforced bool
	Detail   string
}

// StatusResponse describes the daemon.
type StatusResponse struct {
	Version      string
	Pid          int
	Uptime       time.Duration
	ProcessCount int
	// CountsByState, keyed by State ("running", …).
	CountsByState map[string]int
	Listeners     []Listener
	StateDir      string
	ConfigPath    string
}

// Listener is one address the daemon serves on.
type Listener struct {
	// Kind: "unix", "tcp" or "http".
	Kind    string
	Address string
}
