package pipeline

import (
	"testing"

	"github.com/llm-observatory/collector/go/internal/benchdata"
	"github.com/llm-observatory/collector/go/internal/bridge"
)

// BenchmarkWalk: the Go side's walk of a W1 batch for each stage's interest (selection,
// key classes and the encoding of what is sent), without the crossing: what a stage costs
// before Rust sees anything.
func BenchmarkWalk(b *testing.B) {
	td := benchdata.Traces(b, benchdata.W1)
	for _, kind := range []string{"llm_enrichment", "token_counting", "cost_calculation", "pii_redaction"} {
		b.Run(kind, func(b *testing.B) {
			p, err := bridge.New(kind, []byte("{}"))
			if err != nil {
				b.Fatal(err)
			}
			defer p.Close()
			raw, err := p.Interest()
			if err != nil {
				b.Fatal(err)
			}
			in, err := decodeInterest(raw)
			if err != nil {
				b.Fatal(err)
			}
			e := &encoder{}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				e.reset()
				t, _ := e.encodeTraces(in, td, e.targets[:0])
				e.targets = t[:0]
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/512, "ns/span")
		})
	}
}
