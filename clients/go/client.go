package pm

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"

	v1 "github.com/statevisor/statevisor/clients/go/statevisorv1"
)

const (
	defaultTimeout = 10 * time.Second
	// assumedGrace + stopMargin of src/deadlines.ts: what a call that waits for a stop adds.
	stopWait = 120 * time.Second
)

// Client is a connection to one statevisor daemon. Safe for concurrent use.
type Client struct {
	conn      *grpc.ClientConn
	rpc       v1.ProcessManagerClient
	timeout   time.Duration
	closeOnce sync.Once
	closeErr  error
}

// NewClient creates a client of the daemon at DefaultSocketPath(), or where the options say. It
// does not wait for the daemon: a daemon that is not there fails the first call (Health tells).
func NewClient(opts ...ClientOption) (*Client, error) {
	config := &clientConfig{timeout: defaultTimeout}
	for _, opt := range opts {
		opt(config)
	}
	dialOpts, target, err := config.dialOptions()
	if err != nil {
		return nil, err
	}
	conn, err := grpc.Dial(target, dialOpts...)
	if err != nil {
		return nil, fmt.Errorf("statevisor: connect to %s: %w", target, err)
	}
	return &Client{conn: conn, rpc: v1.NewProcessManagerClient(conn), timeout: config.timeout}, nil
}

// NewClientWithAddress creates a client of the daemon's TCP listener at "host:port"; as
// NewClient(WithTCP(address), opts...).
func NewClientWithAddress(address string, opts ...ClientOption) (*Client, error) {
	return NewClient(append([]ClientOption{WithTCP(address)}, opts...)...)
}

// Close closes the connection; calls after it fail. Closing twice is harmless.
func (c *Client) Close() error {
	c.closeOnce.Do(func() { c.closeErr = c.conn.Close() })
	return c.closeErr
}

// Stub is the generated client of every RPC over this connection, token and TLS included: for
// what this API does not wrap (WatchEvents, StreamLogs, SignalProcess, ReloadConfig, …).
func (c *Client) Stub() v1.ProcessManagerClient {
	return c.rpc
}

func (config *clientConfig) dialOptions() ([]grpc.DialOption, string, error) {
	token, err := config.bearerToken()
	if err != nil {
		return nil, "", err
	}
	if config.tcpAddress == "" {
		if token != "" || config.tls != nil {
			return nil, "", errors.New("statevisor: a token or TLS is for WithTCP; a Unix socket's access control is its file mode")
		}
		socket := config.unixSocket
		if socket == "" {
			socket = DefaultSocketPath()
		}
		dial := func(ctx context.Context, _ string) (net.Conn, error) {
			var dialer net.Dialer
			return dialer.DialContext(ctx, "unix", socket)
		}
		// This grpc-go (Debian's 1.33) has no unix: resolver: the dialer names the socket.
		return []grpc.DialOption{grpc.WithInsecure(), grpc.WithContextDialer(dial), grpc.WithAuthority("localhost")},
			"passthrough:///" + socket, nil
	}
	if _, _, err := net.SplitHostPort(config.tcpAddress); err != nil {
		return nil, "", fmt.Errorf(`statevisor: address must be "host:port", got %q`, config.tcpAddress)
	}
	var opts []grpc.DialOption
	if config.tls != nil {
		tlsConfig, err := config.tls.load()
		if err != nil {
			return nil, "", err
		}
		opts = append(opts, grpc.WithTransportCredentials(credentials.NewTLS(tlsConfig)))
	} else {
		opts = append(opts, grpc.WithInsecure())
	}
	if token != "" {
		opts = append(opts, grpc.WithPerRPCCredentials(bearer{value: "Bearer " + token, secure: config.tls != nil}))
	}
	return opts, "passthrough:///" + config.tcpAddress, nil
}

func (config *clientConfig) bearerToken() (string, error) {
	token := config.token
	if config.tokenFile != "" {
		if token != "" {
			return "", errors.New("statevisor: give WithToken or WithTokenFile, not both")
		}
		read, err := readTokenFile(config.tokenFile)
		if err != nil {
			return "", err
		}
		token = read
	}
	token = strings.TrimSpace(token)
	if config.token != "" || config.tokenFile != "" {
		if token == "" {
			return "", errors.New("statevisor: the token is empty")
		}
	}
	return token, nil
}

func readTokenFile(path string) (string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("statevisor: token file: %w", err)
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		return "", fmt.Errorf("statevisor: token file: permissions %04o for %q are too open: it must be readable by its owner only; fix: chmod 600 %s", perm, path, path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("statevisor: token file: %w", err)
	}
	return string(data), nil
}

func (files *tlsFiles) load() (*tls.Config, error) {
	config := &tls.Config{MinVersion: tls.VersionTLS12}
	if files.caFile != "" {
		pem, err := os.ReadFile(files.caFile)
		if err != nil {
			return nil, fmt.Errorf("statevisor: tls ca: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("statevisor: tls ca: no PEM certificate in %s", files.caFile)
		}
		config.RootCAs = pool
	}
	if (files.certFile == "") != (files.keyFile == "") {
		return nil, errors.New("statevisor: tls: give the client certificate and its key together")
	}
	if files.certFile != "" {
		pair, err := tls.LoadX509KeyPair(files.certFile, files.keyFile)
		if err != nil {
			return nil, fmt.Errorf("statevisor: tls client certificate: %w", err)
		}
		config.Certificates = []tls.Certificate{pair}
	}
	return config, nil
}

// bearer is the token as per-call credentials. The daemon allows a token over plain TCP on a
// trusted network, so it is sent without TLS too.
type bearer struct {
	value  string
	secure bool
}

func (b bearer) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": b.value}, nil
}

func (b bearer) RequireTransportSecurity() bool { return b.secure }

// bounded gives ctx the client's default deadline when it has none; extra for calls that wait
// for a stop.
func (c *Client) bounded(ctx context.Context, extra time.Duration) (context.Context, context.CancelFunc) {
	if _, has := ctx.Deadline(); has || c.timeout <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, c.timeout+extra)
}
