// Command loadgen sends the W1 workload to an OTLP/gRPC endpoint and reports the rate.
//
//	loadgen -endpoint 127.0.0.1:4317 -duration 20s -concurrency 4
//	loadgen -endpoint 127.0.0.1:4317 -batches 100 -signal logs -rate 50000
//
// The last line of output is machine-readable:
//
//	RESULT {"signal":"traces","items_sent":...,"items_per_sec":...,...}
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/plog/plogotlp"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/pdata/ptrace/ptraceotlp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	_ "google.golang.org/grpc/encoding/gzip"
	"google.golang.org/grpc/metadata"
)

type result struct {
	Signal      string  `json:"signal"`
	Batches     int64   `json:"batches_sent"`
	Items       int64   `json:"items_sent"`
	LLMItems    int64   `json:"llm_items_sent"`
	Errors      int64   `json:"errors"`
	ErrorItems  int64   `json:"error_items"`
	Seconds     float64 `json:"seconds"`
	ItemsPerSec float64 `json:"items_per_sec"`
	BytesPerSec float64 `json:"proto_bytes_per_sec"`
	FirstError  string  `json:"first_error,omitempty"`
}

type payload struct {
	traces ptrace.Traces
	treq   ptraceotlp.ExportRequest
	lreq   plogotlp.ExportRequest
	n      int
	llm    int
	bytes  int
	cycle  int // the cycle its texts are tagged for
}

func main() {
	endpoint := flag.String("endpoint", "127.0.0.1:4317", "OTLP/gRPC endpoint host:port")
	batches := flag.Int("batches", 0, "total batches to send (0 = until -duration)")
	duration := flag.Duration("duration", 10*time.Second, "how long to send when -batches is 0")
	concurrency := flag.Int("concurrency", 4, "concurrent senders")
	rate := flag.Float64("rate", 0, "target items/s over all senders (0 = as fast as possible)")
	batchSize := flag.Int("batch-size", 512, "items per batch")
	signal := flag.String("signal", "traces", "traces|logs")
	seed := flag.Int64("seed", 1, "generator seed")
	pool := flag.Int("pool", 16, "distinct batches generated up front per sender (re-sent in cycles; span ids are renewed per send, texts per cycle)")
	sameTexts := flag.Bool("same-texts", false, "re-send the pool's texts unchanged in every cycle (by default each cycle's texts are new)")
	gz := flag.Bool("gzip", false, "gzip-compress requests")
	headers := flag.String("headers", "", "extra gRPC metadata, k=v,k2=v2 (e.g. signoz-ingestion-key=abc)")
	timeout := flag.Duration("timeout", 10*time.Second, "per-request timeout")
	quiet := flag.Bool("quiet", false, "only print the RESULT line")
	workload := flag.String("workload", "w1", "w1 (independent calls) | w2 (multi-turn conversations, no usage)")
	noUsage := flag.Int("no-usage-percent", DefaultNoUsagePercent, "w1: share of LLM items that report no usage")
	dump := flag.String("dump", "", "write batch 0 (traces.pb and logs.pb, OTLP protobuf) into this directory and exit")
	flag.Parse()

	if *signal != "traces" && *signal != "logs" {
		fatalf("-signal must be traces or logs")
	}
	if *workload != string(W1) && *workload != string(W2) {
		fatalf("-workload must be w1 or w2")
	}
	gen := NewGenerator(*seed).WithWorkload(Workload(*workload)).WithNoUsagePercent(*noUsage)
	if *dump != "" {
		if err := dumpBatch(gen, *batchSize, *dump); err != nil {
			fatalf("dump: %v", err)
		}
		return
	}
	conn, err := grpc.NewClient(*endpoint,
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallSendMsgSize(256<<20), grpc.MaxCallRecvMsgSize(64<<20)))
	if err != nil {
		fatalf("grpc client: %v", err)
	}
	defer conn.Close()
	tc := ptraceotlp.NewGRPCClient(conn)
	lc := plogotlp.NewGRPCClient(conn)

	var md metadata.MD
	if *headers != "" {
		md = metadata.MD{}
		for _, kvs := range strings.Split(*headers, ",") {
			k, v, ok := strings.Cut(kvs, "=")
			if !ok {
				fatalf("bad -headers entry %q", kvs)
			}
			md.Append(strings.TrimSpace(k), strings.TrimSpace(v))
		}
	}
	var callOpts []grpc.CallOption
	if *gz {
		callOpts = append(callOpts, grpc.UseCompressor("gzip"))
	}

	// Pre-generate per-sender pools so generation cost stays out of the measurement.
	pools := make([][]payload, *concurrency)
	for w := range pools {
		pools[w] = make([]payload, *pool)
		for p := range pools[w] {
			b := w*(*pool) + p
			var pl payload
			if *signal == "traces" {
				td, st := gen.Traces(b, *batchSize)
				pl = payload{traces: td, treq: ptraceotlp.NewExportRequestFromTraces(td), n: st.Items, llm: st.LLM}
				pl.bytes = (&ptrace.ProtoMarshaler{}).TracesSize(td)
			} else {
				ld, st := gen.Logs(b, *batchSize)
				pl = payload{lreq: plogotlp.NewExportRequestFromLogs(ld), n: st.Items, llm: st.LLM}
				m, _ := pl.lreq.MarshalProto()
				pl.bytes = len(m)
			}
			pools[w][p] = pl
		}
	}

	// Rate limiting: a shared ticket channel, one ticket per batch.
	var tickets chan struct{}
	stopTickets := make(chan struct{})
	if *rate > 0 {
		tickets = make(chan struct{}, *concurrency)
		interval := time.Duration(float64(time.Second) * float64(*batchSize) / *rate)
		go func() {
			t := time.NewTicker(interval)
			defer t.Stop()
			for {
				select {
				case <-stopTickets:
					return
				case <-t.C:
					select {
					case tickets <- struct{}{}:
					default:
					}
				}
			}
		}()
	}

	var sentBatches, sentItems, llmItems, errs, errItems, sentBytes atomic.Int64
	var firstErr atomic.Value
	var remaining atomic.Int64
	remaining.Store(int64(*batches))
	deadline := time.Now().Add(*duration)
	var idBase atomic.Uint64
	idBase.Store(uint64(*seed) << 40)

	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < *concurrency; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			i := 0
			for {
				if *batches > 0 {
					if remaining.Add(-1) < 0 {
						return
					}
				} else if time.Now().After(deadline) {
					return
				}
				if tickets != nil {
					select {
					case <-tickets:
					case <-time.After(time.Until(deadline)):
						if *batches == 0 {
							return
						}
						<-tickets
					}
				}
				pl := &pools[w][i%len(pools[w])]
				if c := i / len(pools[w]); c != pl.cycle && !*sameTexts {
					if *signal == "traces" {
						RetagTraces(pl.traces, pl.cycle, c)
					} else {
						RetagLogs(pl.lreq.Logs(), pl.cycle, c)
					}
					pl.cycle = c
				}
				i++
				ctx, cancel := context.WithTimeout(context.Background(), *timeout)
				if md != nil {
					ctx = metadata.NewOutgoingContext(ctx, md)
				}
				var err error
				if *signal == "traces" {
					SetIDs(pl.traces, idBase.Add(1<<20))
					_, err = tc.Export(ctx, pl.treq, callOpts...)
				} else {
					_, err = lc.Export(ctx, pl.lreq, callOpts...)
				}
				cancel()
				if err != nil {
					errs.Add(1)
					errItems.Add(int64(pl.n))
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				sentBatches.Add(1)
				sentItems.Add(int64(pl.n))
				llmItems.Add(int64(pl.llm))
				sentBytes.Add(int64(pl.bytes))
			}
		}(w)
	}
	wg.Wait()
	close(stopTickets)
	el := time.Since(start).Seconds()
	res := result{
		Signal: *signal, Batches: sentBatches.Load(), Items: sentItems.Load(), LLMItems: llmItems.Load(),
		Errors: errs.Load(), ErrorItems: errItems.Load(), Seconds: el,
		ItemsPerSec: float64(sentItems.Load()) / el, BytesPerSec: float64(sentBytes.Load()) / el,
	}
	if v := firstErr.Load(); v != nil {
		res.FirstError = v.(string)
	}
	if !*quiet {
		fmt.Printf("sent %d %s in %d batches over %.2fs: %.0f items/s (%.1f MB/s proto), %d LLM items, %d failed requests\n",
			res.Items, *signal, res.Batches, el, res.ItemsPerSec, res.BytesPerSec/1e6, res.LLMItems, res.Errors)
		if res.FirstError != "" {
			fmt.Printf("first error: %s\n", res.FirstError)
		}
	}
	b, _ := json.Marshal(res)
	fmt.Printf("RESULT %s\n", b)
	if res.Items == 0 {
		os.Exit(1)
	}
}

func fatalf(f string, a ...any) {
	fmt.Fprintf(os.Stderr, "loadgen: "+f+"\n", a...)
	os.Exit(2)
}

// dumpBatch writes batch 0 as OTLP protobuf: the fixture the benchmarks read.
func dumpBatch(gen *Generator, n int, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	td, _ := gen.Traces(0, n)
	tb, err := (&ptrace.ProtoMarshaler{}).MarshalTraces(td)
	if err != nil {
		return err
	}
	ld, _ := gen.Logs(0, n)
	lb, err := (&plog.ProtoMarshaler{}).MarshalLogs(ld)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "traces.pb"), tb, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "logs.pb"), lb, 0o644)
}
