package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var phoenixBin struct {
	once sync.Once
	path string
	err  error
}

// phoenix starts Arize Phoenix (PyPI, pinned in tests/phoenix/venv.sh) on loopback with its
// own working directory and returns its HTTP address.
func phoenix(t *testing.T) string {
	t.Helper()
	phoenixBin.once.Do(func() {
		cmd := exec.Command("bash", filepath.Join(repoRoot(t), "tests", "phoenix", "venv.sh"))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			phoenixBin.err = fmt.Errorf("tests/phoenix/venv.sh: %v\n%s", err, stderr.String())
			return
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		phoenixBin.path = lines[len(lines)-1]
	})
	if phoenixBin.err != nil {
		t.Fatal(phoenixBin.err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	cmd := exec.Command(phoenixBin.path, "serve")
	cmd.Env = append(cmd.Environ(), "PHOENIX_WORKING_DIR="+t.TempDir(), "PHOENIX_HOST=127.0.0.1",
		"PHOENIX_PORT="+addr[strings.LastIndex(addr, ":")+1:], fmt.Sprintf("PHOENIX_GRPC_PORT=%d", freePort(t)))
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	for deadline := time.Now().Add(120 * time.Second); ; time.Sleep(250 * time.Millisecond) {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return addr
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("Phoenix not up after 120s:\n%s", out.String())
		}
	}
}

type phoenixSpan struct {
	Name            string `json:"name"`
	SpanKind        string `json:"spanKind"`
	TokenCountTotal int64  `json:"tokenCountTotal"`
	TokenPrompt     int64  `json:"tokenCountPrompt"`
	TokenCompletion int64  `json:"tokenCountCompletion"`
	CostSummary     *struct {
		Total struct {
			Cost *float64 `json:"cost"`
		} `json:"total"`
	} `json:"costSummary"`
	Attributes string `json:"attributes"`
}

func phoenixSpans(t *testing.T, addr string) []phoenixSpan {
	t.Helper()
	q := `{ projects { edges { node { name spans(first: 100) { edges { node {
		name spanKind tokenCountTotal tokenCountPrompt tokenCountCompletion
		costSummary { total { cost } } attributes } } } } } } }`
	body, _ := json.Marshal(map[string]string{"query": q})
	resp, err := http.Post("http://"+addr+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r struct {
		Data struct {
			Projects struct {
				Edges []struct {
					Node struct {
						Name  string `json:"name"`
						Spans struct {
							Edges []struct {
								Node phoenixSpan `json:"node"`
							} `json:"edges"`
						} `json:"spans"`
					} `json:"node"`
				} `json:"edges"`
			} `json:"projects"`
		} `json:"data"`
		Errors []any `json:"errors"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || len(r.Errors) > 0 {
		t.Fatalf("Phoenix GraphQL: %v %v", err, r.Errors)
	}
	var spans []phoenixSpan
	for _, p := range r.Data.Projects.Edges {
		for _, s := range p.Node.Spans.Edges {
			spans = append(spans, s.Node)
		}
	}
	return spans
}

// configs/phoenix.yaml against a real Arize Phoenix: spans of OpenLLMetry, OpenInference and
// the Vercel AI SDK (no usage reported) arrive as LLM spans with their token counts, and the
// cost Phoenix computes from its own price table equals ours.
func TestPhoenixForReal(t *testing.T) {
	addr := phoenix(t)
	c := startCollector(t, configPath(t, "phoenix.yaml"), "PHOENIX_OTLP_ENDPOINT=http://"+addr)
	c.sendTracesGRPC(t, olderConventionSpans())
	var spans []phoenixSpan
	for deadline := time.Now().Add(60 * time.Second); len(spans) < 3; time.Sleep(500 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("Phoenix has %d of 3 spans\n%s", len(spans), c.stderr.String())
		}
		spans = phoenixSpans(t, addr)
	}
	want := map[string]struct{ prompt, completion int64 }{
		"openai.chat":                {1000, 100},
		"ChatOpenAI":                 {2000, 200},
		"ai.generateText.doGenerate": {-1, -1}, // counted by token_counting
	}
	for _, s := range spans {
		w, ok := want[s.Name]
		if !ok {
			t.Errorf("unexpected span %q", s.Name)
			continue
		}
		if s.SpanKind != "llm" {
			t.Errorf("%s: span kind %q, want llm", s.Name, s.SpanKind)
		}
		if s.TokenPrompt <= 0 || s.TokenCompletion <= 0 || s.TokenCountTotal != s.TokenPrompt+s.TokenCompletion ||
			(w.prompt >= 0 && (s.TokenPrompt != w.prompt || s.TokenCompletion != w.completion)) {
			t.Errorf("%s: tokens %d + %d = %d, want %d + %d", s.Name, s.TokenPrompt, s.TokenCompletion, s.TokenCountTotal, w.prompt, w.completion)
		}
		var attrs struct {
			GenAI struct {
				Usage struct {
					Cost struct {
						Amount float64 `json:"amount"`
					} `json:"cost"`
				} `json:"usage"`
			} `json:"gen_ai"`
		}
		if err := json.Unmarshal([]byte(s.Attributes), &attrs); err != nil {
			t.Fatalf("%s: attributes: %v", s.Name, err)
		}
		ours := attrs.GenAI.Usage.Cost.Amount
		if s.CostSummary == nil || s.CostSummary.Total.Cost == nil || ours <= 0 || math.Abs(*s.CostSummary.Total.Cost-ours) > 1e-9 {
			t.Errorf("%s: Phoenix's cost %v, ours %v", s.Name, s.CostSummary, ours)
		}
		if s.CostSummary != nil && s.CostSummary.Total.Cost != nil {
			t.Logf("%s: %s, %d + %d tokens, cost %.6f (ours %.6f)", s.Name, s.SpanKind, s.TokenPrompt, s.TokenCompletion, *s.CostSummary.Total.Cost, ours)
		}
	}
}
