package pm

import (
	"os"
	"os/user"
	"path/filepath"
)

// DefaultSocketPath is where NewClient connects without WithUnixSocket or WithTCP: the lookup of
// statevisor's own CLI and TypeScript client (src/paths.ts), so that a daemon and its clients
// started by one user meet without flags. $STATEVISOR_SOCKET, else /run/statevisor/statevisor.sock
// as root, else $XDG_RUNTIME_DIR/statevisor.sock, else ~/.statevisor/statevisor.sock.
func DefaultSocketPath() string {
	if socket := os.Getenv("STATEVISOR_SOCKET"); socket != "" {
		return socket
	}
	if os.Getuid() == 0 {
		return "/run/statevisor/statevisor.sock"
	}
	if runtimeDir := os.Getenv("XDG_RUNTIME_DIR"); runtimeDir != "" {
		return filepath.Join(runtimeDir, "statevisor.sock")
	}
	return filepath.Join(homeDir(), ".statevisor", "statevisor.sock")
}

// homeDir is Node's os.homedir(): $HOME, else the passwd entry of the current uid.
func homeDir() string {
	if home := os.Getenv("HOME"); home != "" {
		return home
	}
	if me, err := user.Current(); err == nil {
		return me.HomeDir
	}
	return ""
}
