package pm_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"

	pm "github.com/statevisor/statevisor/clients/go"
)

// pki is a CA and two certificates it signed, written as PEM files.
type pki struct{ dir, ca, serverCert, serverKey, clientCert, clientKey string }

func writePEM(t *testing.T, file, kind string, der []byte) {
	t.Helper()
	if err := os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

func newPKI(t *testing.T) pki {
	t.Helper()
	dir := t.TempDir()
	p := pki{dir: dir, ca: filepath.Join(dir, "ca.pem"),
		serverCert: filepath.Join(dir, "server.pem"), serverKey: filepath.Join(dir, "server-key.pem"),
		clientCert: filepath.Join(dir, "client.pem"), clientKey: filepath.Join(dir, "client-key.pem")}
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTemplate := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test ca"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTemplate, caTemplate, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	writePEM(t, p.ca, "CERTIFICATE", caDER)
	caCert, _ := x509.ParseCertificate(caDER)
	leaf := func(serial int64, usage x509.ExtKeyUsage, certFile, keyFile string) {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		template := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "localhost"},
			DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage}}
		der, err := x509.CreateCertificate(rand.Reader, template, caCert, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		keyDER, _ := x509.MarshalECPrivateKey(key)
		writePEM(t, certFile, "CERTIFICATE", der)
		writePEM(t, keyFile, "EC PRIVATE KEY", keyDER)
	}
	leaf(2, x509.ExtKeyUsageServerAuth, p.serverCert, p.serverKey)
	leaf(3, x509.ExtKeyUsageClientAuth, p.clientCert, p.clientKey)
	return p
}

// A gRPC server that demands a client certificate signed by the CA, as the daemon's
// --tls-client-ca does, and records the authorization header it was sent: the client's side of
// mTLS, proved on a real handshake (this branch's daemon has no TLS listener yet).
func TestTLSPresentsTheClientCertificateAndTheToken(t *testing.T) {
	p := newPKI(t)
	pair, err := tls.LoadX509KeyPair(p.serverCert, p.serverKey)
	if err != nil {
		t.Fatal(err)
	}
	caPEM, _ := os.ReadFile(p.ca)
	clientCAs := x509.NewCertPool()
	clientCAs.AppendCertsFromPEM(caPEM)
	seen := make(chan string, 10)
	server := grpc.NewServer(
		grpc.Creds(credentials.NewTLS(&tls.Config{Certificates: []tls.Certificate{pair}, ClientCAs: clientCAs, ClientAuth: tls.RequireAndVerifyClientCert})),
		grpc.UnaryInterceptor(func(ctx context.Context, req interface{}, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (interface{}, error) {
			md, _ := metadata.FromIncomingContext(ctx)
			seen <- md.Get("authorization")[0]
			return handler(ctx, req)
		}),
	)
	healthpb.RegisterHealthServer(server, health.NewServer())
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go server.Serve(listener)
	defer server.Stop()
	address := listener.Addr().String()

	client, err := pm.NewClient(pm.WithTCP(address), pm.WithTLS(p.ca, p.clientCert, p.clientKey), pm.WithToken("tls-token\n"))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	if err := client.Health(context.Background()); err != nil {
		t.Fatalf("Health over mTLS: %v", err)
	}
	if got := <-seen; got != "Bearer tls-token" {
		t.Errorf("authorization: %q", got)
	}

	withoutCert, err := pm.NewClient(pm.WithTCP(address), pm.WithTLS(p.ca, "", ""), pm.WithToken("tls-token"))
	if err != nil {
		t.Fatal(err)
	}
	defer withoutCert.Close()
	if err := withoutCert.Health(context.Background()); err == nil {
		t.Error("a client without a certificate got through")
	}
	untrusted, err := pm.NewClient(pm.WithTCP(address), pm.WithTLS(p.clientCert, p.clientCert, p.clientKey))
	if err != nil {
		t.Fatal(err)
	}
	defer untrusted.Close()
	if err := untrusted.Health(context.Background()); err == nil {
		t.Error("a server certificate from an untrusted CA was accepted")
	}
}
