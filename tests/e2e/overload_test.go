package e2e

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/ptrace/ptraceotlp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
)

// A backend slower than the senders: the configs refuse what they cannot queue with a
// retryable error and deliver every span they accepted. They never accept and then drop.
func TestOverloadPushesBackInsteadOfDropping(t *testing.T) {
	small := []string{"COLLECTOR_QUEUE_SIZE=3000", "COLLECTOR_BATCH_SIZE=200", "COLLECTOR_BATCH_TIMEOUT=100ms"}
	for _, tc := range []struct {
		config string
		start  func(t *testing.T, backend string) *collector
	}{
		{"full.yaml", func(t *testing.T, backend string) *collector {
			c, _ := startFull(t, append(small, "JAEGER_OTLP_ENDPOINT="+backend)...)
			return c
		}},
		{"jaeger.yaml", func(t *testing.T, backend string) *collector {
			return startCollector(t, configPath(t, "jaeger.yaml"), append(small, "JAEGER_OTLP_ENDPOINT="+backend)...)
		}},
		{"signoz.yaml", func(t *testing.T, backend string) *collector {
			return startCollector(t, configPath(t, "signoz.yaml"), append(small, "SIGNOZ_ENDPOINT="+backend, "SIGNOZ_INSECURE=true")...)
		}},
	} {
		t.Run(tc.config, func(t *testing.T) {
			backend := newBackendSink(t, http.StatusOK)
			backend.delay = 200 * time.Millisecond
			overload(t, tc.start(t, backend.grpcAddr), backend)
		})
	}
}

func overload(t *testing.T, c *collector, jaeger *backendSink) {
	conn, err := grpc.NewClient(c.grpc, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	client := ptraceotlp.NewGRPCClient(conn)

	const senders, requests, perRequest = 8, 40, 100
	var accepted, refused atomic.Int64
	var mu sync.Mutex
	other := map[codes.Code]string{}
	var wg sync.WaitGroup
	for g := 0; g < senders; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for r := 0; r < requests; r++ {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				_, err := client.Export(ctx, ptraceotlp.NewExportRequestFromTraces(killRequest(g*requests+r, perRequest)))
				cancel()
				switch code := status.Code(err); code {
				case codes.OK:
					accepted.Add(perRequest)
				case codes.Unavailable, codes.ResourceExhausted:
					refused.Add(perRequest) // retryable: the sender keeps the data
				default:
					mu.Lock()
					other[code] = err.Error()
					mu.Unlock()
				}
			}
		}(g)
	}
	wg.Wait()
	for code, msg := range other {
		t.Errorf("a refusal a sender would not retry: %v %s", code, msg)
	}
	deadline := time.Now().Add(120 * time.Second)
	for {
		_, n := jaeger.spans()
		if int64(n) >= accepted.Load() || time.Now().After(deadline) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	time.Sleep(time.Second)
	_, delivered := jaeger.spans()
	t.Logf("overload: %d spans sent, %d accepted, %d refused with a retryable error, %d delivered",
		senders*requests*perRequest, accepted.Load(), refused.Load(), delivered)
	if int64(delivered) != accepted.Load() {
		t.Errorf("%d spans accepted, %d delivered", accepted.Load(), delivered)
	}
	if refused.Load() == 0 {
		t.Error("nothing refused: the backend was not slow enough to test push-back")
	}
}
