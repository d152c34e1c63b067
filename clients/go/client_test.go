package pm_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	pm "github.com/statevisor/statevisor/clients/go"
	"github.com/statevisor/statevisor/clients/go/internal/testenv"
	v1 "github.com/statevisor/statevisor/clients/go/statevisorv1"
)

var ctx = context.Background()

// newClient is a client on the default socket that deletes the named processes when the test ends.
func newClient(t *testing.T, names ...string) *pm.Client {
	t.Helper()
	testenv.Socket(t)
	client, err := pm.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, name := range names {
			if err := client.DeleteProcess(ctx, name, true); err != nil && !pm.IsNotFound(err) {
				t.Errorf("delete %s: %v", name, err)
			}
		}
		client.Close()
	})
	return client
}

// specOf is the spec the daemon stored, read through the generated stub.
func specOf(t *testing.T, client *pm.Client, name string) *v1.ProcessSpec {
	t.Helper()
	resp, err := client.Stub().DescribeProcess(ctx, &v1.DescribeProcessRequest{NameOrId: name})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Spec
}

func untilState(t *testing.T, client *pm.Client, name, state string) *pm.Process {
	t.Helper()
	var last *pm.Process
	testenv.Until(t, name+" "+state, func(ctx context.Context) (bool, error) {
		p, err := client.DescribeProcess(ctx, name)
		last = p
		return err == nil && p.State == state, err
	})
	return last
}

func TestDefaultSocketIsTheTypeScriptClientsLookup(t *testing.T) {
	socket := testenv.Socket(t)
	if got := pm.DefaultSocketPath(); got != socket {
		t.Errorf("with $STATEVISOR_SOCKET=%s: %s", socket, got)
	}
	t.Setenv("STATEVISOR_SOCKET", "")
	t.Setenv("XDG_RUNTIME_DIR", "/run/user/1000")
	t.Setenv("HOME", "/home/someone")
	expected := "/run/user/1000/statevisor.sock"
	if os.Getuid() == 0 {
		expected = "/run/statevisor/statevisor.sock"
	}
	if got := pm.DefaultSocketPath(); got != expected {
		t.Errorf("without $STATEVISOR_SOCKET, uid %d: %s, expected %s", os.Getuid(), got, expected)
	}
	if os.Getuid() != 0 {
		t.Setenv("XDG_RUNTIME_DIR", "")
		if got := pm.DefaultSocketPath(); got != "/home/someone/.statevisor/statevisor.sock" {
			t.Errorf("without $XDG_RUNTIME_DIR: %s", got)
		}
	}
}

func TestEveryMethodOverTheDefaultSocket(t *testing.T) {
	client := newClient(t, "go-every")
	args := testenv.SleepArgs(t)

	if err := client.Health(ctx); err != nil {
		t.Fatalf("Health: %v", err)
	}
	status, err := client.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if status.Version == "" || status.Pid <= 0 || status.StateDir == "" || len(status.Listeners) == 0 {
		t.Errorf("Status: %+v", status)
	}
	if status.Listeners[0].Kind != "unix" || status.Listeners[0].Address != testenv.Socket(t) {
		t.Errorf("Status: the first listener is %+v, expected unix %s", status.Listeners[0], testenv.Socket(t))
	}

	created, err := client.CreateProcess(ctx, &pm.CreateRequest{
		Name: "go-every", Command: "/bin/sleep", Args: args,
		Env: map[string]string{"GREETING": "hello"}, WorkingDir: "/tmp",
		RestartPolicy: "never", RestartSec: 5,
	})
	if err != nil {
		t.Fatal(err)
	}
	if created.Name != "go-every" || len(created.Id) != 36 || created.State != "created" || created.Pid != 0 {
		t.Errorf("CreateProcess returned %+v", created)
	}
	spec := specOf(t, client, "go-every")
	if spec.GetRestart().GetPolicy() != "no" || spec.GetRestart().GetDelayMs() != 5000 {
		t.Errorf(`RestartPolicy "never", RestartSec 5 stored as policy %q, delay %d ms; expected "no", 5000`, spec.GetRestart().GetPolicy(), spec.GetRestart().GetDelayMs())
	}
	if spec.Env["GREETING"] != "hello" || spec.GetWorkingDir() != "/tmp" || spec.GetAutoStart() {
		t.Errorf("env %v, working dir %q, auto start %v", spec.Env, spec.GetWorkingDir(), spec.GetAutoStart())
	}

	if err := client.StartProcess(ctx, created.Id); err != nil {
		t.Fatal(err)
	}
	// StartProcess returns once the run has spawned: running, with its pid, at once.
	running, err := client.DescribeProcess(ctx, "go-every")
	if err != nil {
		t.Fatal(err)
	}
	if running.State != "running" || running.Pid <= 0 || running.RunCount != 1 || running.Command != "/bin/sleep" || running.StartedAt.IsZero() || running.Phase != "syncing" {
		t.Errorf("running: %+v", running)
	}

	list, err := client.ListProcesses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range list {
		found = found || (p.Id == created.Id && p.Name == "go-every" && p.Pid == running.Pid)
	}
	if !found {
		t.Errorf("ListProcesses lacks go-every (pid %d): %+v", running.Pid, list)
	}

	usage, err := client.GetResourceUsage(ctx, "go-every")
	if err != nil {
		t.Fatal(err)
	}
	if usage.Pids < 1 || (usage.Source != "cgroup" && usage.Source != "proc") {
		t.Errorf("GetResourceUsage: %+v", usage)
	}

	if err := client.RestartProcess(ctx, "go-every"); err != nil {
		t.Fatal(err)
	}
	restarted, err := client.DescribeProcess(ctx, "go-every")
	if err != nil {
		t.Fatal(err)
	}
	if restarted.State != "running" || restarted.Pid == running.Pid || restarted.RunCount != 2 {
		t.Errorf("after RestartProcess: pid %d (was %d), runs %d", restarted.Pid, running.Pid, restarted.RunCount)
	}

	if err := client.StopProcess(ctx, "go-every"); err != nil {
		t.Fatal(err)
	}
	stopped, err := client.DescribeProcess(ctx, created.Id)
	if err != nil {
		t.Fatal(err)
	}
	if stopped.State != "stopped" || stopped.Pid != 0 || stopped.EndedAt.IsZero() {
		t.Errorf("after StopProcess (which returns once stopped): %+v", stopped)
	}
	// Idempotent, as the daemon's stop is.
	if err := client.StopProcess(ctx, "go-every"); err != nil {
		t.Errorf("a second StopProcess: %v", err)
	}
	if err := client.DeleteProcess(ctx, "go-every", false); err != nil {
		t.Fatal(err)
	}
	if _, err := client.DescribeProcess(ctx, "go-every"); !pm.IsNotFound(err) {
		t.Errorf("after DeleteProcess: %v", err)
	}
}

// The README's "Error Handling" switch, as written there.
func classify(err error) string {
	switch {
	case pm.IsNotFound(err):
		return "Process not found"
	case pm.IsAlreadyExists(err):
		return "Process already exists"
	case pm.IsInvalidState(err):
		return "Invalid state transition"
	default:
		return "other"
	}
}

func TestErrorHelpersReadTheDaemonsCodes(t *testing.T) {
	client := newClient(t, "go-errors", "go-fails")
	args := testenv.SleepArgs(t)

	notFound := map[string]error{}
	notFound["StartProcess"] = client.StartProcess(ctx, "go-nope")
	notFound["StopProcess"] = client.StopProcess(ctx, "go-nope")
	notFound["RestartProcess"] = client.RestartProcess(ctx, "go-nope")
	notFound["DeleteProcess"] = client.DeleteProcess(ctx, "go-nope", true)
	_, notFound["DescribeProcess"] = client.DescribeProcess(ctx, "go-nope")
	_, notFound["GetResourceUsage"] = client.GetResourceUsage(ctx, "go-nope")
	_, notFound["UpdateProcess"] = client.UpdateProcess(ctx, &pm.UpdateRequest{ProcessName: "go-nope", Env: map[string]string{}})
	for rpc, err := range notFound {
		if classify(err) != "Process not found" || pm.ErrorCode(err) != pm.CodeNotFound {
			t.Errorf("%s of an unknown name: %v", rpc, err)
		}
		var e *pm.Error
		if !errors.As(err, &e) || e.RPC != rpc || e.GRPCStatus().Code().String() != "NotFound" {
			t.Errorf("%s: %#v", rpc, err)
		}
	}

	request := &pm.CreateRequest{Name: "go-errors", Command: "/bin/sleep", Args: args, AutoStart: true}
	if _, err := client.CreateProcess(ctx, request); err != nil {
		t.Fatal(err)
	}
	_, err := client.CreateProcess(ctx, request)
	if classify(err) != "Process already exists" {
		t.Errorf("a second CreateProcess: %v", err)
	}
	untilState(t, client, "go-errors", "running")
	if err := client.StartProcess(ctx, "go-errors"); classify(err) != "Invalid state transition" {
		t.Errorf("StartProcess of a running process: %v", err)
	}
	if err := client.DeleteProcess(ctx, "go-errors", false); classify(err) != "Invalid state transition" {
		t.Errorf("DeleteProcess of a running process without force: %v", err)
	}

	// A start that fails is no wrong state: the daemon's trailer tells the two apart, though both
	// are FAILED_PRECONDITION.
	if _, err := client.CreateProcess(ctx, &pm.CreateRequest{Name: "go-fails", Command: "/nonexistent/go-fails", RestartPolicy: "never"}); err != nil {
		t.Fatal(err)
	}
	err = client.StartProcess(ctx, "go-fails")
	if pm.ErrorCode(err) != pm.CodeStartFailed || classify(err) != "other" || !strings.Contains(err.Error(), "go-fails did not start (failed)") {
		t.Errorf("StartProcess of a missing command: %v", err)
	}

	_, err = client.CreateProcess(ctx, &pm.CreateRequest{Name: "go bad name", Command: "/bin/true"})
	// E_SPEC_INVALID travels as INVALID_ARGUMENT, as E_INVALID_ARGUMENT does: only the daemon's
	// trailer names it.
	if !pm.IsInvalidArgument(err) || pm.ErrorCode(err) != pm.CodeSpecInvalid || classify(err) != "other" {
		t.Errorf("a bad name: %v", err)
	}
	_, err = client.CreateProcess(ctx, &pm.CreateRequest{Name: "go-policy", Command: "/bin/true", RestartPolicy: "sometimes"})
	if !pm.IsInvalidArgument(err) {
		t.Errorf("an unknown restart policy: %v", err)
	}
	_, err = client.CreateProcess(ctx, &pm.CreateRequest{Name: "go-probe", Command: "/bin/true", HealthCheck: &pm.HealthCheck{Type: "tcp", Endpoint: "no-port"}})
	if !pm.IsInvalidArgument(err) {
		t.Errorf("a tcp check without a port: %v", err)
	}

	for _, err := range []error{nil, errors.New("not from a call"), context.Canceled} {
		if pm.IsNotFound(err) || pm.IsAlreadyExists(err) || pm.IsInvalidState(err) || pm.ErrorCode(err) != "" {
			t.Errorf("%v is classified as a daemon's error", err)
		}
	}
	// Wrapped errors are still recognised.
	if err := client.StartProcess(ctx, "go-nope"); !pm.IsNotFound(fmt.Errorf("starting: %w", err)) {
		t.Errorf("a wrapped NotFound: %v", err)
	}
}

// The README's "Advanced Usage" requests, with commands that exist here.
func TestAdvancedUsageRequestsReachTheSpec(t *testing.T) {
	client := newClient(t, "limited-app", "api-server", "worker", "my-app", "tcp-probe", "exec-probe")
	args := testenv.SleepArgs(t)

	_, err := client.CreateProcess(ctx, &pm.CreateRequest{
		Name:    "limited-app",
		Command: "/bin/sleep",
		Args:    args,
		ResourceLimits: &pm.ResourceLimits{
			Cpu:    1000,      // 1 CPU core (1000 millicores)
			Memory: 536870912, // 512 MB
			Pids:   100,       // Max 100 processes/threads
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	resources := specOf(t, client, "limited-app").GetResources()
	if resources.GetCpuMillis() != 1000 || resources.GetMemoryBytes() != 536870912 || resources.GetPids() != 100 {
		t.Errorf("resources: %v", resources)
	}

	_, err = client.CreateProcess(ctx, &pm.CreateRequest{
		Name:    "api-server",
		Command: "/bin/sleep",
		Args:    args,
		HealthCheck: &pm.HealthCheck{
			Type:         "http",
			Endpoint:     "http://localhost:8080/health",
			Interval:     30, // Check every 30 seconds
			Timeout:      5,  // 5 second timeout
			Retries:      3,  // Mark unhealthy after 3 failures
			RestartAfter: 0,  // Don't auto-restart (K8s liveness probe style)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	check := specOf(t, client, "api-server").GetHealthCheck()
	if check.Type != "http" || check.GetUrl() != "http://localhost:8080/health" || check.GetIntervalMs() != 30000 ||
		check.GetTimeoutMs() != 5000 || check.GetFailureThreshold() != 3 || check.GetRestartAfter() != 0 {
		t.Errorf("health check: %v", check)
	}
	if _, err = client.CreateProcess(ctx, &pm.CreateRequest{Name: "tcp-probe", Command: "/bin/sleep", Args: args,
		HealthCheck: &pm.HealthCheck{Type: "tcp", Endpoint: "127.0.0.1:9", RestartAfter: 2}}); err != nil {
		t.Fatal(err)
	}
	tcp := specOf(t, client, "tcp-probe").GetHealthCheck()
	if tcp.GetHost() != "127.0.0.1" || tcp.GetPort() != 9 || tcp.GetRestartAfter() != 2 {
		t.Errorf("tcp check: %v", tcp)
	}
	if _, err = client.CreateProcess(ctx, &pm.CreateRequest{Name: "exec-probe", Command: "/bin/sleep", Args: args,
		HealthCheck: &pm.HealthCheck{Type: "exec", Endpoint: "/bin/test -d /tmp"}}); err != nil {
		t.Fatal(err)
	}
	exec := specOf(t, client, "exec-probe").GetHealthCheck()
	if exec.GetCommand() != "/bin/test" || fmt.Sprint(exec.Args) != "[-d /tmp]" {
		t.Errorf("exec check: %v", exec)
	}

	_, err = client.CreateProcess(ctx, &pm.CreateRequest{
		Name:          "worker",
		Command:       "/bin/sleep",
		Args:          args,
		RestartPolicy: "on-failure", // always, never, on-failure, on-success
		RestartSec:    5,            // Wait 5 seconds before restart
	})
	if err != nil {
		t.Fatal(err)
	}
	if restart := specOf(t, client, "worker").GetRestart(); restart.GetPolicy() != "on-failure" || restart.GetDelayMs() != 5000 {
		t.Errorf("restart: %v", restart)
	}

	created, err := client.CreateProcess(ctx, &pm.CreateRequest{Name: "my-app", Command: "/bin/sleep", Args: args, AutoStart: true})
	if err != nil {
		t.Fatal(err)
	}
	if !specOf(t, client, "my-app").GetAutoStart() {
		t.Error("AutoStart was not stored")
	}
	before := untilState(t, client, "my-app", "running")

	// Hot update (no restart required)
	resp, err := client.UpdateProcess(ctx, &pm.UpdateRequest{
		ProcessName:   "my-app",
		RestartPolicy: stringPtr("always"),
		RestartSec:    intPtr(10),
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(resp.UpdatedFields)
	if fmt.Sprint(resp.UpdatedFields) != "[restart.delay_ms restart.policy]" || len(resp.RestartRequiredFields) != 0 || resp.ProcessRestarted {
		t.Errorf("hot update: %+v", resp)
	}
	if restart := specOf(t, client, "my-app").GetRestart(); restart.GetPolicy() != "always" || restart.GetDelayMs() != 10000 {
		t.Errorf("after the hot update: %v", restart)
	}
	if resp.Process.Pid != before.Pid {
		t.Errorf("a hot update changed the pid: %d → %d", before.Pid, resp.Process.Pid)
	}

	// Update requiring restart
	resp, err = client.UpdateProcess(ctx, &pm.UpdateRequest{
		ProcessName:    "my-app",
		Env:            map[string]string{"DEBUG": "true"},
		RestartProcess: true, // Automatically restart to apply changes
	})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(resp.UpdatedFields) != "[env]" || !resp.ProcessRestarted || resp.Process.Id != created.Id {
		t.Errorf("update with restart: %+v", resp)
	}
	after := untilState(t, client, "my-app", "running")
	if after.Pid == before.Pid || specOf(t, client, "my-app").Env["DEBUG"] != "true" {
		t.Errorf("after the update with restart: pid %d (was %d), env %v", after.Pid, before.Pid, specOf(t, client, "my-app").Env)
	}
}

func stringPtr(s string) *string { return &s }
func intPtr(i int) *int          { return &i }

func tcpAddress(t *testing.T) string {
	t.Helper()
	client := newClient(t)
	status, err := client.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range status.Listeners {
		if l.Kind == "tcp" {
			return l.Address
		}
	}
	t.Fatalf("the daemon has no TCP listener: %+v", status.Listeners)
	return ""
}

func TestTCPWithTheBearerToken(t *testing.T) {
	address := tcpAddress(t)
	tokenFile := testenv.TokenFile(t)

	withFile, err := pm.NewClientWithAddress(address, pm.WithTokenFile(tokenFile))
	if err != nil {
		t.Fatal(err)
	}
	defer withFile.Close()
	if _, err := withFile.ListProcesses(ctx); err != nil {
		t.Errorf("with the token file: %v", err)
	}
	if err := withFile.Health(ctx); err != nil {
		t.Errorf("Health with the token: %v", err)
	}
	token, err := os.ReadFile(tokenFile)
	if err != nil {
		t.Fatal(err)
	}
	withToken, err := pm.NewClient(pm.WithTCP(address), pm.WithToken(string(token)))
	if err != nil {
		t.Fatal(err)
	}
	defer withToken.Close()
	if _, err := withToken.Status(ctx); err != nil {
		t.Errorf("with the token (its newline trimmed): %v", err)
	}

	for name, opts := range map[string][]pm.ClientOption{
		"no token":    {pm.WithTCP(address)},
		"wrong token": {pm.WithTCP(address), pm.WithToken("not-the-token")},
	} {
		client, err := pm.NewClient(opts...)
		if err != nil {
			t.Fatal(err)
		}
		_, err = client.ListProcesses(ctx)
		if !pm.IsUnauthenticated(err) || classify(err) != "other" {
			t.Errorf("%s: %v", name, err)
		}
		client.Close()
	}
}

func TestOptionsThatCannotWorkAreRefusedAtOnce(t *testing.T) {
	dir := t.TempDir()
	open := filepath.Join(dir, "token")
	if err := os.WriteFile(open, []byte("secret\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, opts := range map[string][]pm.ClientOption{
		"a token on the socket":      {pm.WithUnixSocket("/tmp/x.sock"), pm.WithToken("t")},
		"TLS on the socket":          {pm.WithTLS("", "", "")},
		"a token file others read":   {pm.WithTCP("127.0.0.1:1"), pm.WithTokenFile(open)},
		"an empty token":             {pm.WithTCP("127.0.0.1:1"), pm.WithTokenFile(empty)},
		"a missing token file":       {pm.WithTCP("127.0.0.1:1"), pm.WithTokenFile(filepath.Join(dir, "none"))},
		"token and token file":       {pm.WithTCP("127.0.0.1:1"), pm.WithToken("t"), pm.WithTokenFile(empty)},
		"an address without a port":  {pm.WithTCP("localhost")},
		"a missing CA file":          {pm.WithTCP("127.0.0.1:1"), pm.WithTLS(filepath.Join(dir, "none"), "", "")},
		"a CA file without PEM":      {pm.WithTCP("127.0.0.1:1"), pm.WithTLS(empty, "", "")},
		"a certificate without key":  {pm.WithTCP("127.0.0.1:1"), pm.WithTLS("", filepath.Join(dir, "cert"), "")},
		"a missing certificate pair": {pm.WithTCP("127.0.0.1:1"), pm.WithTLS("", filepath.Join(dir, "cert"), filepath.Join(dir, "key"))},
	} {
		if client, err := pm.NewClient(opts...); err == nil {
			client.Close()
			t.Errorf("%s: accepted", name)
		}
	}
	_, err := pm.NewClient(pm.WithTCP("127.0.0.1:1"), pm.WithTokenFile(open))
	if err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("a token file others read: %v", err)
	}
}

func TestNoDaemonThereIsUnavailable(t *testing.T) {
	client, err := pm.NewClient(pm.WithUnixSocket(filepath.Join(t.TempDir(), "none.sock")))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	if err := client.Health(ctx); !pm.IsUnavailable(err) {
		t.Errorf("Health with no daemon: %v", err)
	}
}

func TestTheDefaultDeadlineAppliesOnlyWithoutOne(t *testing.T) {
	testenv.Socket(t)
	client, err := pm.NewClient(pm.WithTimeout(time.Nanosecond))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	if _, err := client.ListProcesses(ctx); pm.ErrorCode(err) != pm.CodeDeadlineExceeded {
		t.Errorf("a 1 ns default deadline: %v", err)
	}
	bounded, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := client.ListProcesses(bounded); err != nil {
		t.Errorf("the caller's own deadline wins: %v", err)
	}
}

func TestCloseTwiceAndCallsAfterClose(t *testing.T) {
	testenv.Socket(t)
	client, err := pm.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Close(); err != nil {
		t.Fatal(err)
	}
	if err := client.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
	if _, err := client.ListProcesses(ctx); err == nil {
		t.Error("a call after Close succeeded")
	}
}

// One client from many goroutines at once (run with -race by the node test).
func TestSafeForConcurrentUse(t *testing.T) {
	const workers = 8
	names := make([]string, workers)
	for i := range names {
		names[i] = fmt.Sprintf("go-concurrent-%d", i)
	}
	client := newClient(t, names...)
	args := testenv.SleepArgs(t)

	var wg sync.WaitGroup
	errs := make(chan error, workers*8)
	for _, name := range names {
		wg.Add(1)
		go func(name string) {
			defer wg.Done()
			report := func(step string, err error) bool {
				if err != nil {
					errs <- fmt.Errorf("%s %s: %w", step, name, err)
				}
				return err == nil
			}
			_, err := client.CreateProcess(ctx, &pm.CreateRequest{Name: name, Command: "/bin/sleep", Args: args})
			if !report("create", err) || !report("start", client.StartProcess(ctx, name)) {
				return
			}
			for i := 0; i < 5; i++ {
				_, err := client.ListProcesses(ctx)
				report("list", err)
				_, err = client.DescribeProcess(ctx, name)
				report("describe", err)
				_, err = client.Status(ctx)
				report("status", err)
			}
			report("stop", client.StopProcess(ctx, name))
			report("delete", client.DeleteProcess(ctx, name, false))
		}(name)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
