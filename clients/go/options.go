package pm

import (
	"time"
)

// ClientOption configures the client.
type ClientOption func(*clientConfig)

type clientConfig struct {
	// One of the two: the last WithUnixSocket or WithTCP wins, as in the reference client.
	unixSocket string
	tcpAddress string

	token     string
	tokenFile string
	tls       *tlsFiles
	timeout   time.Duration
}

type tlsFiles struct{ caFile, certFile, keyFile string }

// WithUnixSocket uses a Unix socket connection (the default, at DefaultSocketPath()).
func WithUnixSocket(path string) ClientOption {
	return func(c *clientConfig) {
		c.unixSocket = path
		c.tcpAddress = ""
	}
}

// WithTCP uses a TCP connection to "host:port": the daemon's --tcp listener, which demands a
// bearer token (WithToken, WithTokenFile) or a client certificate (WithTLS), or both.
func WithTCP(address string) ClientOption {
	return func(c *clientConfig) {
		c.tcpAddress = address
		c.unixSocket = ""
	}
}

// WithToken sends `authorization: Bearer <token>` on every call over TCP (the daemon's
// --token-file holds the same token). Surrounding whitespace is trimmed, as token files end in a
// newline. A Unix socket's access control is its file mode: a token there is refused.
func WithToken(token string) ClientOption {
	return func(c *clientConfig) { c.token = token }
}

// WithTokenFile reads the token from a file when the client is made. As with the CLI's
// --token-file, the file must be readable by its owner only (chmod 600).
func WithTokenFile(path string) ClientOption {
	return func(c *clientConfig) { c.tokenFile = path }
}

// WithTLS speaks TLS to the TCP listener: caFile is the PEM of the CA that signed the daemon's
// certificate (--tls-cert); "" trusts the system's roots. certFile and keyFile, both or neither,
// are the client certificate the daemon's --tls-client-ca demands (mTLS).
func WithTLS(caFile, certFile, keyFile string) ClientOption {
	return func(c *clientConfig) { c.tls = &tlsFiles{caFile, certFile, keyFile} }
}

// WithTimeout bounds each call whose context has no deadline of its own: 10 s by default, as
// statevisor's CLI and TypeScript client allow (src/deadlines.ts). The calls that wait for a stop
// (StopProcess, RestartProcess, DeleteProcess with force, UpdateProcess with RestartProcess) get
// 120 s more: the longest grace period a client assumes (90 s) and the SIGKILL's margin (30 s).
// A context with a deadline always wins; 0 leaves calls without a deadline unbounded.
func WithTimeout(timeout time.Duration) ClientOption {
	return func(c *clientConfig) { c.timeout = timeout }
}
