// Package benchdata gives the Go benchmarks the one W1 and W2 fixture every benchmark of
// the repository reads (testdata/w1, testdata/w2 at the top, written by `make fixtures` from
// the load generator tests/cmd/loadgen), and runs a processor over fresh copies of a batch
// without keeping b.N batches alive (which would make the garbage collector, not the
// processor, the thing measured).
package benchdata

import (
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// Workloads: W1 independent calls (a quarter without usage), W2 multi-turn conversations.
const (
	W1 = "w1"
	W2 = "w2"
)

func path(tb testing.TB, workload, file string) string {
	_, here, _, ok := runtime.Caller(0)
	if !ok {
		tb.Fatal("benchdata: no caller information")
	}
	p := filepath.Join(filepath.Dir(here), "..", "..", "..", "testdata", workload, file)
	if _, err := os.Stat(p); err != nil {
		tb.Fatalf("benchdata: %v (run `make fixtures`)", err)
	}
	return p
}

// Traces is batch 0 of the workload: 512 spans.
func Traces(tb testing.TB, workload string) ptrace.Traces {
	b, err := os.ReadFile(path(tb, workload, "traces.pb"))
	if err != nil {
		tb.Fatal(err)
	}
	td, err := (&ptrace.ProtoUnmarshaler{}).UnmarshalTraces(b)
	if err != nil {
		tb.Fatal(err)
	}
	return td
}

// Logs is batch 0 of the workload: 512 log records.
func Logs(tb testing.TB, workload string) plog.Logs {
	b, err := os.ReadFile(path(tb, workload, "logs.pb"))
	if err != nil {
		tb.Fatal(err)
	}
	ld, err := (&plog.ProtoUnmarshaler{}).UnmarshalLogs(b)
	if err != nil {
		tb.Fatal(err)
	}
	return ld
}

const pool = 8

// RunTraces times process on a fresh copy of src per iteration and reports ns/span.
func RunTraces(b *testing.B, src ptrace.Traces, process func(ptrace.Traces) error) {
	run(b, func(dst ptrace.Traces) { src.CopyTo(dst) }, ptrace.NewTraces, process,
		(&ptrace.ProtoMarshaler{}).TracesSize(src), src.SpanCount(), "ns/span")
}

// RunLogs times process on a fresh copy of src per iteration and reports ns/record.
func RunLogs(b *testing.B, src plog.Logs, process func(plog.Logs) error) {
	run(b, func(dst plog.Logs) { src.CopyTo(dst) }, plog.NewLogs, process,
		(&plog.ProtoMarshaler{}).LogsSize(src), src.LogRecordCount(), "ns/record")
}

// run refills a small pool of copies outside the timer, so the heap holds pool batches,
// not b.N of them.
func run[T any](b *testing.B, copyTo func(T), fresh func() T, process func(T) error, size, items int, unit string) {
	copies := make([]T, pool)
	refill := func() {
		for i := range copies {
			copies[i] = fresh()
			copyTo(copies[i])
		}
	}
	refill()
	b.ReportAllocs()
	b.SetBytes(int64(size))
	b.ResetTimer()
	// the process's CPU time besides the wall time: on two cores the garbage collector runs
	// beside the benchmark, so wall time hides the work it does (the figure that matters
	// for a collector is CPU per span)
	cpu, refills := cpuTime(), time.Duration(0)
	for i := 0; i < b.N; i++ {
		if i > 0 && i%pool == 0 {
			b.StopTimer()
			r := cpuTime()
			refill()
			refills += cpuTime() - r
			b.StartTimer()
		}
		if err := process(copies[i%pool]); err != nil {
			b.Fatal(err)
		}
	}
	cpu = cpuTime() - cpu - refills
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*items), unit)
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N*items), "cpu-"+unit)
}

// cpuTime is the CPU time (user and system) the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
