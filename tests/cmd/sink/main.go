// Command sink is an OTLP receiver for tests that counts exactly what it is sent.
//
//	sink -grpc 127.0.0.1:14317 -http 127.0.0.1:14318
//
// OTLP/gRPC: traces, logs, metrics services on -grpc.
// OTLP/HTTP on -http: POST /v1/traces, /v1/logs, /v1/metrics (protobuf or JSON, gzip ok).
// Control on -http:
//
//	GET  /count   -> {"spans":N,"logs":M,"metric_points":P,"requests":R,"bytes":B,"llm_spans":L}
//	GET  /headers -> last gRPC metadata / HTTP headers seen on an export, and every key ever seen
//	POST /reset   -> zero all counters
//	GET  /healthz -> 200
//
// With -dump DIR every export request is also written as OTLP JSON into DIR
// (for content assertions in end-to-end tests; keep it off for benchmarks).
package main

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/plog/plogotlp"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/pmetric/pmetricotlp"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/pdata/ptrace/ptraceotlp"
	"google.golang.org/grpc"
	_ "google.golang.org/grpc/encoding/gzip"
	"google.golang.org/grpc/metadata"
)

type counters struct {
	spans, llmSpans, logs, points, requests, bytes atomic.Int64
}

type headerLog struct {
	mu       sync.Mutex
	lastGRPC map[string][]string
	lastHTTP map[string][]string
	seen     map[string]int64 // lower-cased key -> number of requests that carried it
}

func (h *headerLog) record(transport string, md map[string][]string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	cp := make(map[string][]string, len(md))
	for k, v := range md {
		lk := strings.ToLower(k)
		cp[lk] = append([]string(nil), v...)
		h.seen[lk]++
	}
	if transport == "grpc" {
		h.lastGRPC = cp
	} else {
		h.lastHTTP = cp
	}
}

type sink struct {
	c    counters
	h    headerLog
	dump string
	seq  atomic.Int64
}

func (s *sink) countTraces(td ptrace.Traces, size int) {
	s.c.requests.Add(1)
	s.c.bytes.Add(int64(size))
	s.c.spans.Add(int64(td.SpanCount()))
	var llm int64
	rss := td.ResourceSpans()
	for i := 0; i < rss.Len(); i++ {
		sss := rss.At(i).ScopeSpans()
		for j := 0; j < sss.Len(); j++ {
			sp := sss.At(j).Spans()
			for k := 0; k < sp.Len(); k++ {
				if v, ok := sp.At(k).Attributes().Get("loadgen.kind"); ok && v.Str() == "llm" {
					llm++
				}
			}
		}
	}
	s.c.llmSpans.Add(llm)
	if s.dump != "" {
		b, _ := (&ptrace.JSONMarshaler{}).MarshalTraces(td)
		s.write("traces", b)
	}
}

func (s *sink) countLogs(ld plog.Logs, size int) {
	s.c.requests.Add(1)
	s.c.bytes.Add(int64(size))
	s.c.logs.Add(int64(ld.LogRecordCount()))
	if s.dump != "" {
		b, _ := (&plog.JSONMarshaler{}).MarshalLogs(ld)
		s.write("logs", b)
	}
}

func (s *sink) countMetrics(md pmetric.Metrics, size int) {
	s.c.requests.Add(1)
	s.c.bytes.Add(int64(size))
	s.c.points.Add(int64(md.DataPointCount()))
	if s.dump != "" {
		b, _ := (&pmetric.JSONMarshaler{}).MarshalMetrics(md)
		s.write("metrics", b)
	}
}

func (s *sink) write(kind string, b []byte) {
	n := s.seq.Add(1)
	p := filepath.Join(s.dump, fmt.Sprintf("%s-%06d.json", kind, n))
	if err := os.WriteFile(p, b, 0o644); err != nil {
		log.Printf("dump: %v", err)
	}
}

func (s *sink) grpcMD(ctx context.Context) {
	if md, ok := metadata.FromIncomingContext(ctx); ok {
		s.h.record("grpc", md)
	}
}

// gRPC services.
type traceSrv struct {
	ptraceotlp.UnimplementedGRPCServer
	s *sink
}

func (t *traceSrv) Export(ctx context.Context, req ptraceotlp.ExportRequest) (ptraceotlp.ExportResponse, error) {
	t.s.grpcMD(ctx)
	td := req.Traces()
	t.s.countTraces(td, (&ptrace.ProtoMarshaler{}).TracesSize(td))
	return ptraceotlp.NewExportResponse(), nil
}

type logSrv struct {
	plogotlp.UnimplementedGRPCServer
	s *sink
}

func (l *logSrv) Export(ctx context.Context, req plogotlp.ExportRequest) (plogotlp.ExportResponse, error) {
	l.s.grpcMD(ctx)
	ld := req.Logs()
	l.s.countLogs(ld, (&plog.ProtoMarshaler{}).LogsSize(ld))
	return plogotlp.NewExportResponse(), nil
}

type metricSrv struct {
	pmetricotlp.UnimplementedGRPCServer
	s *sink
}

func (m *metricSrv) Export(ctx context.Context, req pmetricotlp.ExportRequest) (pmetricotlp.ExportResponse, error) {
	m.s.grpcMD(ctx)
	md := req.Metrics()
	m.s.countMetrics(md, (&pmetric.ProtoMarshaler{}).MetricsSize(md))
	return pmetricotlp.NewExportResponse(), nil
}

// HTTP.
func readBody(r *http.Request) ([]byte, error) {
	var rd io.Reader = r.Body
	if strings.EqualFold(r.Header.Get("Content-Encoding"), "gzip") {
		gz, err := gzip.NewReader(r.Body)
		if err != nil {
			return nil, err
		}
		defer gz.Close()
		rd = gz
	}
	return io.ReadAll(rd)
}

func isJSON(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Content-Type"), "application/json")
}

func (s *sink) otlpHTTP(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		body, err := readBody(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.h.record("http", r.Header)
		js := isJSON(r)
		var resp interface {
			MarshalProto() ([]byte, error)
			MarshalJSON() ([]byte, error)
		}
		switch kind {
		case "traces":
			req := ptraceotlp.NewExportRequest()
			if js {
				err = req.UnmarshalJSON(body)
			} else {
				err = req.UnmarshalProto(body)
			}
			if err == nil {
				s.countTraces(req.Traces(), len(body))
			}
			resp = ptraceotlp.NewExportResponse()
		case "logs":
			req := plogotlp.NewExportRequest()
			if js {
				err = req.UnmarshalJSON(body)
			} else {
				err = req.UnmarshalProto(body)
			}
			if err == nil {
				s.countLogs(req.Logs(), len(body))
			}
			resp = plogotlp.NewExportResponse()
		case "metrics":
			req := pmetricotlp.NewExportRequest()
			if js {
				err = req.UnmarshalJSON(body)
			} else {
				err = req.UnmarshalProto(body)
			}
			if err == nil {
				s.countMetrics(req.Metrics(), len(body))
			}
			resp = pmetricotlp.NewExportResponse()
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var out []byte
		if js {
			out, _ = resp.MarshalJSON()
			w.Header().Set("Content-Type", "application/json")
		} else {
			out, _ = resp.MarshalProto()
			w.Header().Set("Content-Type", "application/x-protobuf")
		}
		_, _ = w.Write(out)
	}
}

func (s *sink) countJSON() map[string]int64 {
	return map[string]int64{
		"spans":         s.c.spans.Load(),
		"llm_spans":     s.c.llmSpans.Load(),
		"logs":          s.c.logs.Load(),
		"metric_points": s.c.points.Load(),
		"requests":      s.c.requests.Load(),
		"bytes":         s.c.bytes.Load(),
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func main() {
	grpcAddr := flag.String("grpc", "127.0.0.1:14317", "OTLP/gRPC listen address (empty = off)")
	httpAddr := flag.String("http", "127.0.0.1:14318", "OTLP/HTTP + control listen address")
	dump := flag.String("dump", "", "directory to write every request as OTLP JSON (off when empty)")
	flag.Parse()

	s := &sink{dump: *dump}
	s.h.seen = map[string]int64{}
	if s.dump != "" {
		if err := os.MkdirAll(s.dump, 0o755); err != nil {
			log.Fatal(err)
		}
	}

	var gs *grpc.Server
	if *grpcAddr != "" {
		lis, err := net.Listen("tcp", *grpcAddr)
		if err != nil {
			log.Fatalf("grpc listen: %v", err)
		}
		gs = grpc.NewServer(grpc.MaxRecvMsgSize(512 << 20))
		ptraceotlp.RegisterGRPCServer(gs, &traceSrv{s: s})
		plogotlp.RegisterGRPCServer(gs, &logSrv{s: s})
		pmetricotlp.RegisterGRPCServer(gs, &metricSrv{s: s})
		go func() {
			if err := gs.Serve(lis); err != nil {
				log.Fatalf("grpc serve: %v", err)
			}
		}()
	}

	mux := http.NewServeMux()
	mux.HandleFunc("/v1/traces", s.otlpHTTP("traces"))
	mux.HandleFunc("/v1/logs", s.otlpHTTP("logs"))
	mux.HandleFunc("/v1/metrics", s.otlpHTTP("metrics"))
	mux.HandleFunc("/count", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, s.countJSON()) })
	mux.HandleFunc("/headers", func(w http.ResponseWriter, r *http.Request) {
		s.h.mu.Lock()
		defer s.h.mu.Unlock()
		writeJSON(w, map[string]any{"grpc": s.h.lastGRPC, "http": s.h.lastHTTP, "seen": s.h.seen})
	})
	mux.HandleFunc("/reset", func(w http.ResponseWriter, r *http.Request) {
		for _, c := range []*atomic.Int64{&s.c.spans, &s.c.llmSpans, &s.c.logs, &s.c.points, &s.c.requests, &s.c.bytes} {
			c.Store(0)
		}
		s.h.mu.Lock()
		s.h.lastGRPC, s.h.lastHTTP, s.h.seen = nil, nil, map[string]int64{}
		s.h.mu.Unlock()
		writeJSON(w, s.countJSON())
	})
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	hs := &http.Server{Addr: *httpAddr, Handler: mux}
	lis, err := net.Listen("tcp", *httpAddr)
	if err != nil {
		log.Fatalf("http listen: %v", err)
	}
	go func() {
		if err := hs.Serve(lis); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Fatalf("http serve: %v", err)
		}
	}()
	log.Printf("sink ready grpc=%s http=%s", *grpcAddr, *httpAddr)

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	<-sig
	if gs != nil {
		gs.Stop()
	}
	_ = hs.Close()
	b, _ := json.Marshal(s.countJSON())
	log.Printf("final counts %s", b)
}
