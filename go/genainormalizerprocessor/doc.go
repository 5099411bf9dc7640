//go:generate mdatagen metadata.yaml

// Package genainormalizerprocessor accepts the configuration of otelcol-contrib's
// gen_ai_normalizer processor (sources, remove_originals, overwrite, custom_mappings) so
// collector configs written for it start unchanged, and serves it with the llm_enrichment
// stage, which normalizes every convention that processor maps and more.
package genainormalizerprocessor // import "github.com/llm-observatory/collector/go/genainormalizerprocessor"
