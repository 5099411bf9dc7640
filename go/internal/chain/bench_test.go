package chain_test

import (
	"context"
	"testing"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/llm-observatory/collector/go/costcalculationprocessor"
	"github.com/llm-observatory/collector/go/internal/benchdata"
	"github.com/llm-observatory/collector/go/llmenrichmentprocessor"
	"github.com/llm-observatory/collector/go/piiredactionprocessor"
	"github.com/llm-observatory/collector/go/tokencountingprocessor"
)

// The processor sets of the performance table (README, docs/performance.md), in pipeline order.
var benchSets = []struct {
	name string
	fs   []processor.Factory
}{
	{"enrichment", []processor.Factory{llmenrichmentprocessor.NewFactory()}},
	{"enrichment+tokens", []processor.Factory{llmenrichmentprocessor.NewFactory(), tokencountingprocessor.NewFactory()}},
	{"enrichment+cost", []processor.Factory{llmenrichmentprocessor.NewFactory(), costcalculationprocessor.NewFactory()}},
	{"enrichment+tokens+cost", []processor.Factory{llmenrichmentprocessor.NewFactory(), tokencountingprocessor.NewFactory(), costcalculationprocessor.NewFactory()}},
	{"pii", []processor.Factory{piiredactionprocessor.NewFactory()}},
	{"all_four", factories},
}

func build(b *testing.B, fs []processor.Factory) (consumer.Traces, consumer.Logs) {
	ctx := context.Background()
	var nextT consumer.Traces = consumertest.NewNop()
	var nextL consumer.Logs = consumertest.NewNop()
	for i := len(fs) - 1; i >= 0; i-- {
		f := fs[i]
		set := processortest.NewNopSettings(f.Type())
		cfg := coldConfig(f)
		tp, err := f.CreateTraces(ctx, set, cfg, nextT)
		if err != nil {
			b.Fatal(err)
		}
		lp, err := f.CreateLogs(ctx, set, cfg, nextL)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = tp.Shutdown(ctx); _ = lp.Shutdown(ctx) })
		nextT, nextL = tp, lp
	}
	return nextT, nextL
}

// coldConfig is the default config with the memos of texts seen before off: the benchmarks
// send one batch over and over, which a memo would answer from memory after the first time.
// What the memos save on resent conversations is measured end to end (make bench-w1), where
// every batch is new.
func coldConfig(f processor.Factory) component.Config {
	cfg := f.CreateDefaultConfig()
	switch c := cfg.(type) {
	case *tokencountingprocessor.Config:
		c.CountCacheEntries = 0
	case *piiredactionprocessor.Config:
		c.ScanCacheEntries = 0
	}
	return cfg
}

// BenchmarkTraces: one 512-span batch of W1 (independent calls, a quarter without usage) and
// of W2 (conversations resent every turn, no usage) through each processor set.
func BenchmarkTraces(b *testing.B) {
	for _, w := range []string{benchdata.W1, benchdata.W2} {
		src := benchdata.Traces(b, w)
		for _, s := range benchSets {
			b.Run(w+"/"+s.name, func(b *testing.B) {
				t, _ := build(b, s.fs)
				benchdata.RunTraces(b, src, func(td ptrace.Traces) error {
					return t.ConsumeTraces(context.Background(), td)
				})
			})
		}
	}
}

// BenchmarkLogs: one 512-record W1 batch (LLM records carry the prompt as body).
func BenchmarkLogs(b *testing.B) {
	src := benchdata.Logs(b, benchdata.W1)
	for _, s := range benchSets {
		b.Run("w1/"+s.name, func(b *testing.B) {
			_, l := build(b, s.fs)
			benchdata.RunLogs(b, src, func(ld plog.Logs) error {
				return l.ConsumeLogs(context.Background(), ld)
			})
		})
	}
}
