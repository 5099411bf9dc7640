// Package e2e drives the built otelcol-llm binary: it starts it on free loopback ports with
// a config from configs/, sends OTLP over gRPC and HTTP, and reads what the file exporter wrote.
package e2e

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/plog/plogotlp"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/pdata/ptrace/ptraceotlp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// repoRoot is the checkout root (tests/e2e -> ../..).
func repoRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// binary is the collector under test: $OTELCOL_BIN or the one `make build` makes.
func binary(t testing.TB) string {
	t.Helper()
	if b := os.Getenv("OTELCOL_BIN"); b != "" {
		return b
	}
	b := filepath.Join(repoRoot(t), "_build", "otelcol-llm", "otelcol-llm")
	if _, err := os.Stat(b); err != nil {
		t.Fatalf("collector binary not found at %s: run `make build` first (%v)", b, err)
	}
	return b
}

// Ports handed out for collectors to bind are drawn below Linux's ephemeral range (32768-60999):
// a port the kernel picks for ":0" is one it may also give, a moment later, to an outgoing
// connection (a collector exporting, a test client), and the collector's bind then fails with
// "address already in use". Each port is handed out once per test binary.
const portLow, portHigh = 20000, 32000

var (
	portMu    sync.Mutex
	portsUsed = map[int]bool{}
)

func freePort(t testing.TB) int {
	t.Helper()
	portMu.Lock()
	defer portMu.Unlock()
	for range 1000 {
		p := portLow + rand.IntN(portHigh-portLow)
		if portsUsed[p] {
			continue
		}
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		if err != nil {
			continue // taken
		}
		l.Close()
		portsUsed[p] = true
		return p
	}
	t.Fatal("no free port found below the ephemeral range")
	return 0
}

// collector is one running binary.
type collector struct {
	cmd             *exec.Cmd
	grpc, http      string
	health, metrics string
	dataDir         string
	stderr          *bytes.Buffer
	done            chan error
}

// startCollector runs the binary with a config file and extra environment, and waits until
// its health check answers.
func startCollector(t *testing.T, config string, env ...string) *collector {
	t.Helper()
	return startCollectorIn(t, "", []string{config}, env...)
}

// startCollectorIn is startCollector with the process's working directory set to dir and any
// number of config files (merged by the collector in order); when dir is set, DATA_DIR is left
// unset, so the config's own default (./data) is what is tested.
func startCollectorIn(t *testing.T, dir string, configs []string, env ...string) *collector {
	t.Helper()
	c := &collector{
		grpc:    fmt.Sprintf("127.0.0.1:%d", freePort(t)),
		http:    fmt.Sprintf("127.0.0.1:%d", freePort(t)),
		health:  fmt.Sprintf("127.0.0.1:%d", freePort(t)),
		metrics: fmt.Sprintf("%d", freePort(t)),
		dataDir: t.TempDir(),
		stderr:  &bytes.Buffer{},
		done:    make(chan error, 1),
	}
	// a config with its own variable names (configs/full.yaml) is reached where the caller put it
	for _, kv := range env {
		for name, field := range map[string]*string{
			"COLLECTOR_OTLP_GRPC_ENDPOINT=": &c.grpc,
			"COLLECTOR_OTLP_HTTP_ENDPOINT=": &c.http,
			"COLLECTOR_HEALTH_ENDPOINT=":    &c.health,
		} {
			if v, ok := strings.CutPrefix(kv, name); ok {
				*field = v
			}
		}
	}
	var args []string
	for _, config := range configs {
		args = append(args, "--config", config)
	}
	c.cmd = exec.Command(binary(t), args...)
	c.cmd.Env = append(os.Environ(),
		"OTLP_GRPC_ENDPOINT="+c.grpc,
		"OTLP_HTTP_ENDPOINT="+c.http,
		"HEALTH_ENDPOINT="+c.health,
		"METRICS_HOST=127.0.0.1",
		"METRICS_PORT="+c.metrics,
		"DEBUG_VERBOSITY=basic",
	)
	if dir == "" {
		c.cmd.Env = append(c.cmd.Env, "DATA_DIR="+c.dataDir)
	} else {
		c.cmd.Dir = dir
		c.dataDir = filepath.Join(dir, "data")
	}
	c.cmd.Env = append(c.cmd.Env, env...)
	c.cmd.Stderr = c.stderr
	c.cmd.Stdout = c.stderr
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { c.done <- c.cmd.Wait() }()
	t.Cleanup(c.stop)
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-c.done:
			t.Fatalf("collector exited during start-up: %v\n%s", err, c.stderr.String())
		default:
		}
		resp, err := http.Get("http://" + c.health + "/")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return c
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("collector not healthy after 60s:\n%s", c.stderr.String())
	return nil
}

func (c *collector) stop() {
	if c.cmd.ProcessState != nil {
		return
	}
	_ = c.cmd.Process.Signal(os.Interrupt)
	select {
	case <-c.done:
	case <-time.After(15 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.done
	}
}

func (c *collector) sendTracesGRPC(t *testing.T, td ptrace.Traces) {
	t.Helper()
	conn, err := grpc.NewClient(c.grpc, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := ptraceotlp.NewGRPCClient(conn).Export(ctx, ptraceotlp.NewExportRequestFromTraces(td)); err != nil {
		t.Fatalf("gRPC export: %v\n%s", err, c.stderr.String())
	}
}

func (c *collector) postHTTP(t *testing.T, path string, body []byte) {
	t.Helper()
	resp, err := http.Post("http://"+c.http+path, "application/x-protobuf", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("HTTP export to %s: %s\n%s", path, resp.Status, c.stderr.String())
	}
}

func (c *collector) sendTracesHTTP(t *testing.T, td ptrace.Traces) {
	t.Helper()
	b, err := ptraceotlp.NewExportRequestFromTraces(td).MarshalProto()
	if err != nil {
		t.Fatal(err)
	}
	c.postHTTP(t, "/v1/traces", b)
}

func (c *collector) sendLogsHTTP(t *testing.T, ld plog.Logs) {
	t.Helper()
	b, err := plogotlp.NewExportRequestFromLogs(ld).MarshalProto()
	if err != nil {
		t.Fatal(err)
	}
	c.postHTTP(t, "/v1/logs", b)
}

// readLines parses every JSON line the file exporter wrote to name.
func readLines[T any](t *testing.T, path string, parse func([]byte) (T, error)) []T {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		v, err := parse(line)
		if err != nil {
			// a line may be half written while we read: try again later
			return out
		}
		out = append(out, v)
	}
	return out
}

// waitSpans polls the file exporter's output until want spans arrived, and returns them by name.
func (c *collector) waitSpans(t *testing.T, want int) map[string][]ptrace.Span {
	t.Helper()
	path := filepath.Join(c.dataDir, "traces.jsonl")
	var u ptrace.JSONUnmarshaler
	deadline := time.Now().Add(30 * time.Second)
	for {
		byName := map[string][]ptrace.Span{}
		n := 0
		for _, td := range readLines(t, path, u.UnmarshalTraces) {
			rss := td.ResourceSpans()
			for i := 0; i < rss.Len(); i++ {
				sss := rss.At(i).ScopeSpans()
				for j := 0; j < sss.Len(); j++ {
					spans := sss.At(j).Spans()
					for k := 0; k < spans.Len(); k++ {
						byName[spans.At(k).Name()] = append(byName[spans.At(k).Name()], spans.At(k))
						n++
					}
				}
			}
		}
		if n >= want {
			if n > want {
				t.Fatalf("got %d spans, sent %d", n, want)
			}
			return byName
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d spans reached the file exporter\n%s", n, want, c.stderr.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func (c *collector) waitLogs(t *testing.T, want int) []plog.LogRecord {
	t.Helper()
	path := filepath.Join(c.dataDir, "logs.jsonl")
	var u plog.JSONUnmarshaler
	deadline := time.Now().Add(30 * time.Second)
	for {
		var recs []plog.LogRecord
		for _, ld := range readLines(t, path, u.UnmarshalLogs) {
			rls := ld.ResourceLogs()
			for i := 0; i < rls.Len(); i++ {
				sls := rls.At(i).ScopeLogs()
				for j := 0; j < sls.Len(); j++ {
					lr := sls.At(j).LogRecords()
					for k := 0; k < lr.Len(); k++ {
						recs = append(recs, lr.At(k))
					}
				}
			}
		}
		if len(recs) >= want {
			return recs
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d log records reached the file exporter\n%s", len(recs), want, c.stderr.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func (c *collector) scrapeMetrics(t *testing.T) string {
	t.Helper()
	resp, err := http.Get("http://127.0.0.1:" + c.metrics + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		b.WriteString(sc.Text())
		b.WriteByte('\n')
	}
	return b.String()
}
