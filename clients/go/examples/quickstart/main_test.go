package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"

	pm "github.com/statevisor/statevisor/clients/go"
	"github.com/statevisor/statevisor/clients/go/internal/testenv"
)

// The daemon's working directory holds app.py (the node test writes it: it execs `sleep` with
// the run's marker), so "/usr/bin/python3 app.py" runs as the README has it.
func TestQuickStartRunsAsWritten(t *testing.T) {
	testenv.Socket(t)
	if _, err := os.Stat("/usr/bin/python3"); err != nil {
		t.Skip("needs /usr/bin/python3, the Quick Start's command: apt-get install -y python3")
	}
	client, err := pm.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := client.DeleteProcess(context.Background(), "my-app", true); err != nil {
			t.Errorf("delete my-app: %v", err)
		}
		client.Close()
	})

	output := captureStdout(t, main)
	t.Logf("the Quick Start printed:\n%s", output)

	lines := strings.Split(strings.TrimSpace(output), "\n")
	if len(lines) != 4 {
		t.Fatalf("expected 4 lines, got:\n%s", output)
	}
	uuid := `[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`
	for i, pattern := range []string{
		`^Created process: ` + uuid + `$`,
		`^Process started$`,
		// StartProcess returns once the process has spawned.
		`^my-app: running \(PID: [1-9]\d*\)$`,
		`^Process stopped$`,
	} {
		if !regexp.MustCompile(pattern).MatchString(lines[i]) {
			t.Errorf("line %d: %q does not match %s", i+1, lines[i], pattern)
		}
	}
	process, err := client.DescribeProcess(context.Background(), "my-app")
	if err != nil {
		t.Fatal(err)
	}
	if process.State != "stopped" || process.Pid != 0 || process.RunCount != 1 {
		t.Errorf("after the Quick Start: state %q pid %d runs %d, expected stopped, 0, 1", process.State, process.Pid, process.RunCount)
	}
	if !strings.HasSuffix(lines[0], process.Id) {
		t.Errorf("printed %q, the process's id is %s", lines[0], process.Id)
	}
}

func captureStdout(t *testing.T, run func()) string {
	t.Helper()
	reader, writer, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stdout
	os.Stdout = writer
	var captured bytes.Buffer
	done := make(chan struct{})
	go func() {
		_, _ = io.Copy(&captured, reader)
		close(done)
	}()
	defer func() {
		os.Stdout = saved
	}()
	run()
	writer.Close()
	<-done
	return captured.String()
}
