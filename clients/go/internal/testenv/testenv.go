// Package testenv is what the Go tests get from test/go/go-client.test.ts, which starts a real
// daemon on a temp socket and then runs `go test` with these variables set:
//
//	STATEVISOR_SOCKET              the daemon's socket (NewClient's default finds it there)
//	STATEVISOR_GO_TEST_MARKER      put in every child's arguments: the node test proves that no
//	                               process carrying it survives the run
//	STATEVISOR_GO_TEST_TOKEN_FILE  the daemon's --token-file (its --tcp listener is on port 0:
//	                               Status().Listeners names it)
//
// Without them a test is skipped, saying how to run it.
package testenv

import (
	"context"
	"os"
	"testing"
	"time"
)

const howToRun = "needs a daemon: run `npm run build && node --test dist/test/go/go-client.test.js` (it starts one and sets STATEVISOR_SOCKET)"

// Socket is the daemon's socket; the test is skipped without one.
func Socket(t testing.TB) string {
	t.Helper()
	socket := os.Getenv("STATEVISOR_SOCKET")
	if socket == "" {
		t.Skip(howToRun)
	}
	return socket
}

// SleepArgs are `sleep` arguments carrying the run's marker: an hour unless stopped.
func SleepArgs(t testing.TB) []string {
	t.Helper()
	Socket(t)
	return []string{"3600." + os.Getenv("STATEVISOR_GO_TEST_MARKER")}
}

// TokenFile is the daemon's --token-file.
func TokenFile(t testing.TB) string {
	t.Helper()
	Socket(t)
	return os.Getenv("STATEVISOR_GO_TEST_TOKEN_FILE")
}

// Until polls check until it holds, failing the test at the deadline with what it waited for:
// the wrapped API has no event stream, so a state is awaited by polling with a deadline.
func Until(t testing.TB, what string, check func(ctx context.Context) (bool, error)) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var lastErr error
	for {
		ok, err := check(ctx)
		if ok {
			return
		}
		lastErr = err
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s (last error: %v)", what, lastErr)
		case <-time.After(20 * time.Millisecond):
		}
	}
}
