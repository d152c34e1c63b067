package myapp

import (
	"context"
	"testing"

	pm "github.com/statevisor/statevisor/clients/go"
	"github.com/statevisor/statevisor/clients/go/internal/testenv"
)

func TestAppManagerAsWritten(t *testing.T) {
	args := testenv.SleepArgs(t)
	m, err := NewAppManager()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := m.pm.DeleteProcess(context.Background(), "worker-1", true); err != nil && !pm.IsNotFound(err) {
			t.Errorf("delete worker-1: %v", err)
		}
		if err := m.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})

	if err := m.StartWorker("worker-1", "/bin/sleep", args); err != nil {
		t.Fatal(err)
	}
	// AutoStart: running without a StartProcess.
	testenv.Until(t, "worker-1 running", func(context.Context) (bool, error) {
		state, err := m.GetWorkerStatus("worker-1")
		return state == "running", err
	})
	if err := m.StartWorker("worker-1", "/bin/sleep", args); !pm.IsAlreadyExists(err) {
		t.Errorf("a second StartWorker of worker-1: expected IsAlreadyExists, got %v", err)
	}
	if err := m.StopWorker("worker-1"); err != nil {
		t.Fatal(err)
	}
	// StopProcess returns once stopped: no wait needed.
	if state, err := m.GetWorkerStatus("worker-1"); state != "stopped" || err != nil {
		t.Errorf("after StopWorker: %q, %v; expected stopped", state, err)
	}
	if _, err := m.GetWorkerStatus("no-such-worker"); !pm.IsNotFound(err) {
		t.Errorf("GetWorkerStatus of an unknown name: expected IsNotFound, got %v", err)
	}
	if err := m.StopWorker("no-such-worker"); !pm.IsNotFound(err) {
		t.Errorf("StopWorker of an unknown name: expected IsNotFound, got %v", err)
	}
}
