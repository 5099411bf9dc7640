package e2e

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/pdata/ptrace/ptraceotlp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// securedConfigs are the configs whose OTLP receivers take TLS and sender authentication from
// the COLLECTOR_TLS_* and COLLECTOR_AUTH* variables.
var securedConfigs = []string{"full.yaml", "gateway.yaml"}

// startFull starts configs/full.yaml on free loopback ports with extra environment, and returns
// the collector and its own-telemetry address.
func startFull(t *testing.T, env ...string) (*collector, string) {
	t.Helper()
	return startSecured(t, "full.yaml", env...)
}

// startSecured starts one of securedConfigs on free loopback ports (the variables a config does
// not read are harmless to it).
func startSecured(t *testing.T, config string, env ...string) (*collector, string) {
	t.Helper()
	telemetry := freePort(t)
	base := []string{
		fmt.Sprintf("COLLECTOR_OTLP_GRPC_ENDPOINT=127.0.0.1:%d", freePort(t)),
		fmt.Sprintf("COLLECTOR_OTLP_HTTP_ENDPOINT=127.0.0.1:%d", freePort(t)),
		fmt.Sprintf("COLLECTOR_HEALTH_ENDPOINT=127.0.0.1:%d", freePort(t)),
		fmt.Sprintf("COLLECTOR_METRICS_ENDPOINT=127.0.0.1:%d", freePort(t)),
		fmt.Sprintf("COLLECTOR_TELEMETRY_PORT=%d", telemetry),
		"COLLECTOR_TELEMETRY_HOST=127.0.0.1",
		fmt.Sprintf("COLLECTOR_PPROF_ENDPOINT=127.0.0.1:%d", freePort(t)),
		fmt.Sprintf("COLLECTOR_ZPAGES_ENDPOINT=127.0.0.1:%d", freePort(t)),
		"COLLECTOR_BATCH_TIMEOUT=100ms",
		"COLLECTOR_LOG_LEVEL=debug",
		"JAEGER_OTLP_ENDPOINT=" + newBackendSink(t, http.StatusOK).grpcAddr,
		"APP_LOG_GLOB=" + t.TempDir() + "/*.json",
	}
	c := startCollector(t, configPath(t, config), append(base, env...)...)
	return c, fmt.Sprintf("127.0.0.1:%d", telemetry)
}

// exportGRPC sends one span over OTLP/gRPC with the given credentials and returns the status code.
func exportGRPC(t *testing.T, addr string, creds credentials.TransportCredentials, header map[string]string) codes.Code {
	t.Helper()
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(creds))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if len(header) > 0 {
		ctx = metadata.NewOutgoingContext(ctx, metadata.New(header))
	}
	_, err = ptraceotlp.NewGRPCClient(conn).Export(ctx, ptraceotlp.NewExportRequestFromTraces(oneSpan()))
	return status.Code(err)
}

// exportHTTP posts one span over OTLP/HTTP and returns the HTTP status (0: no response).
func exportHTTP(t *testing.T, client *http.Client, url string, header map[string]string) int {
	t.Helper()
	body, err := ptraceotlp.NewExportRequestFromTraces(oneSpan()).MarshalProto()
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, url+"/v1/traces", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-protobuf")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

func oneSpan() ptrace.Traces {
	td := ptrace.NewTraces()
	newSpan(td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty(), "GET /", map[string]any{"http.request.method": "GET"})
	return td
}

func randomSecret(t *testing.T) string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// With COLLECTOR_AUTH_ENABLED the OTLP receivers of full.yaml refuse senders without the bearer
// token (gRPC Unauthenticated, HTTP 401) and accept those with it; the token appears in neither
// the collector's log (at debug level) nor its metrics.
func TestReceiversRequireTheBearerToken(t *testing.T) {
	for _, config := range securedConfigs {
		t.Run(config, func(t *testing.T) { requireBearerToken(t, config) })
	}
}

func requireBearerToken(t *testing.T, config string) {
	token := randomSecret(t)
	c, telemetry := startSecured(t, config, "COLLECTOR_AUTH_ENABLED=true", "COLLECTOR_AUTH_TOKEN="+token)
	plain := insecure.NewCredentials()
	httpURL := "http://" + c.http
	for _, tc := range []struct {
		name     string
		header   map[string]string
		grpcWant codes.Code
		httpWant int
	}{
		{"no token", nil, codes.Unauthenticated, http.StatusUnauthorized},
		{"wrong token", map[string]string{"authorization": "Bearer " + randomSecret(t)}, codes.Unauthenticated, http.StatusUnauthorized},
		{"empty token", map[string]string{"authorization": "Bearer "}, codes.Unauthenticated, http.StatusUnauthorized},
		{"the token", map[string]string{"authorization": "Bearer " + token}, codes.OK, http.StatusOK},
	} {
		if got := exportGRPC(t, c.grpc, plain, tc.header); got != tc.grpcWant {
			t.Errorf("gRPC with %s: %v, want %v", tc.name, got, tc.grpcWant)
		}
		if got := exportHTTP(t, http.DefaultClient, httpURL, tc.header); got != tc.httpWant {
			t.Errorf("HTTP with %s: %d, want %d", tc.name, got, tc.httpWant)
		}
	}
	metrics := get(t, "http://"+telemetry+"/metrics")
	if !strings.Contains(metrics, "otelcol_receiver_accepted_spans") {
		t.Fatalf("no receiver metrics scraped:\n%s", metrics)
	}
	c.stop()
	for where, text := range map[string]string{"log": c.stderr.String(), "metrics": metrics} {
		if strings.Contains(text, token) {
			t.Errorf("the token appears in the collector's %s", where)
		}
	}
}

// Auth turned on with no secret set refuses everyone, whatever they send.
func TestAuthWithoutASecretRefusesEveryone(t *testing.T) {
	nobody := "Basic " + base64.StdEncoding.EncodeToString([]byte("nobody:nobody"))
	for _, authenticator := range []string{"bearertokenauth/server", "basicauth/server"} {
		c, _ := startFull(t, "COLLECTOR_AUTH_ENABLED=true", "COLLECTOR_AUTHENTICATOR="+authenticator)
		for _, h := range []map[string]string{nil, {"authorization": "Bearer "}, {"authorization": "Bearer no token set"},
			{"authorization": nobody}, {"authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(":"))}} {
			if got := exportGRPC(t, c.grpc, insecure.NewCredentials(), h); got != codes.Unauthenticated {
				t.Errorf("%s, gRPC with %v: %v, want Unauthenticated", authenticator, h, got)
			}
			if got := exportHTTP(t, http.DefaultClient, "http://"+c.http, h); got != http.StatusUnauthorized {
				t.Errorf("%s, HTTP with %v: %d, want 401", authenticator, h, got)
			}
		}
		c.stop()
	}
}

// COLLECTOR_AUTHENTICATOR=basicauth/server checks the users of COLLECTOR_AUTH_HTPASSWD (inline
// lines) or of COLLECTOR_AUTH_HTPASSWD_FILE (a mounted secret).
func TestReceiversBasicAuth(t *testing.T) {
	password := randomSecret(t)
	sum := sha1.Sum([]byte(password))
	htpasswd := "ingest:{SHA}" + base64.StdEncoding.EncodeToString(sum[:])
	file := filepath.Join(t.TempDir(), "htpasswd")
	if err := os.WriteFile(file, []byte(htpasswd+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	basic := func(user, pass string) map[string]string {
		return map[string]string{"authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))}
	}
	for _, source := range []string{"COLLECTOR_AUTH_HTPASSWD=" + htpasswd, "COLLECTOR_AUTH_HTPASSWD_FILE=" + file} {
		c, _ := startFull(t, "COLLECTOR_AUTH_ENABLED=true", "COLLECTOR_AUTHENTICATOR=basicauth/server", source)
		for _, tc := range []struct {
			name   string
			header map[string]string
			grpc   codes.Code
			http   int
		}{
			{"no credentials", nil, codes.Unauthenticated, http.StatusUnauthorized},
			{"wrong password", basic("ingest", "guess"), codes.Unauthenticated, http.StatusUnauthorized},
			{"the user", basic("ingest", password), codes.OK, http.StatusOK},
		} {
			if got := exportGRPC(t, c.grpc, insecure.NewCredentials(), tc.header); got != tc.grpc {
				t.Errorf("%s: gRPC with %s: %v, want %v", source[:24], tc.name, got, tc.grpc)
			}
			if got := exportHTTP(t, http.DefaultClient, "http://"+c.http, tc.header); got != tc.http {
				t.Errorf("%s: HTTP with %s: %d, want %d", source[:24], tc.name, got, tc.http)
			}
		}
		c.stop()
	}
}

// testPKI is a CA made by the test, a server certificate for 127.0.0.1 and a client certificate.
type testPKI struct {
	caFile, certFile, keyFile string
	pool                      *x509.CertPool
	client                    tls.Certificate
}

func newTestPKI(t *testing.T) testPKI {
	t.Helper()
	dir := t.TempDir()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "e2e test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	issue := func(serial int64, usage x509.ExtKeyUsage, ips []net.IP) ([]byte, *ecdsa.PrivateKey) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "e2e"},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage}, IPAddresses: ips,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		return der, key
	}
	writePEM := func(name, typ string, der []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	keyDER := func(k *ecdsa.PrivateKey) []byte {
		b, err := x509.MarshalECPrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	serverDER, serverKey := issue(2, x509.ExtKeyUsageServerAuth, []net.IP{net.ParseIP("127.0.0.1")})
	clientDER, clientKey := issue(3, x509.ExtKeyUsageClientAuth, nil)
	pki := testPKI{
		caFile:   writePEM("ca.pem", "CERTIFICATE", caDER),
		certFile: writePEM("server.pem", "CERTIFICATE", serverDER),
		keyFile:  writePEM("server-key.pem", "EC PRIVATE KEY", keyDER(serverKey)),
		pool:     x509.NewCertPool(),
	}
	pki.pool.AddCert(ca)
	pki.client = tls.Certificate{Certificate: [][]byte{clientDER}, PrivateKey: clientKey}
	return pki
}

func (p testPKI) clientTLS(withCert bool) *tls.Config {
	cfg := &tls.Config{RootCAs: p.pool, MinVersion: tls.VersionTLS12}
	if withCert {
		cfg.Certificates = []tls.Certificate{p.client}
	}
	return cfg
}

// COLLECTOR_TLS_ENABLED serves TLS with the given certificate: clients trusting the CA get in,
// plaintext clients do not; with COLLECTOR_TLS_CLIENT_CA_FILE only clients with a certificate
// from that CA get in. TLS and the bearer token together are the gateway setup.
func TestReceiversServeTLS(t *testing.T) {
	for _, config := range securedConfigs {
		t.Run(config, func(t *testing.T) { serveTLS(t, config) })
	}
}

func serveTLS(t *testing.T, config string) {
	pki := newTestPKI(t)
	tlsEnv := []string{"COLLECTOR_TLS_ENABLED=true", "COLLECTOR_TLS_CERT_FILE=" + pki.certFile, "COLLECTOR_TLS_KEY_FILE=" + pki.keyFile}

	t.Run("server TLS", func(t *testing.T) {
		c, _ := startSecured(t, config, tlsEnv...)
		if got := exportGRPC(t, c.grpc, credentials.NewTLS(pki.clientTLS(false)), nil); got != codes.OK {
			t.Errorf("gRPC over TLS: %v", got)
		}
		httpsClient := &http.Client{Transport: &http.Transport{TLSClientConfig: pki.clientTLS(false)}}
		if got := exportHTTP(t, httpsClient, "https://"+c.http, nil); got != http.StatusOK {
			t.Errorf("HTTPS: %d", got)
		}
		if got := exportGRPC(t, c.grpc, insecure.NewCredentials(), nil); got == codes.OK {
			t.Error("a plaintext gRPC client was accepted by a TLS receiver")
		}
		if got := exportHTTP(t, http.DefaultClient, "http://"+c.http, nil); got == http.StatusOK {
			t.Error("a plaintext HTTP client was accepted by a TLS receiver")
		}
		untrusting := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12}}}
		if got := exportHTTP(t, untrusting, "https://"+c.http, nil); got != 0 {
			t.Errorf("a client that does not trust the CA got an answer: %d", got)
		}
	})

	t.Run("client certificates and token", func(t *testing.T) {
		token := randomSecret(t)
		c, _ := startSecured(t, config, append(tlsEnv, "COLLECTOR_TLS_CLIENT_CA_FILE="+pki.caFile,
			"COLLECTOR_AUTH_ENABLED=true", "COLLECTOR_AUTH_TOKEN="+token)...)
		bearer := map[string]string{"authorization": "Bearer " + token}
		if got := exportGRPC(t, c.grpc, credentials.NewTLS(pki.clientTLS(true)), bearer); got != codes.OK {
			t.Errorf("gRPC with a client certificate and the token: %v", got)
		}
		if got := exportGRPC(t, c.grpc, credentials.NewTLS(pki.clientTLS(true)), nil); got != codes.Unauthenticated {
			t.Errorf("gRPC with a client certificate, no token: %v, want Unauthenticated", got)
		}
		if got := exportGRPC(t, c.grpc, credentials.NewTLS(pki.clientTLS(false)), bearer); got == codes.OK {
			t.Error("gRPC without a client certificate was accepted")
		}
		withCert := &http.Client{Transport: &http.Transport{TLSClientConfig: pki.clientTLS(true)}}
		if got := exportHTTP(t, withCert, "https://"+c.http, bearer); got != http.StatusOK {
			t.Errorf("HTTPS with a client certificate and the token: %d", got)
		}
		withoutCert := &http.Client{Transport: &http.Transport{TLSClientConfig: pki.clientTLS(false)}}
		if got := exportHTTP(t, withoutCert, "https://"+c.http, bearer); got == http.StatusOK {
			t.Error("HTTPS without a client certificate was accepted")
		}
	})
}
