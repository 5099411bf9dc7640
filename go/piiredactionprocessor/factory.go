package piiredactionprocessor // import "github.com/llm-observatory/collector/go/piiredactionprocessor"

import (
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/processor"

	"github.com/llm-observatory/collector/go/internal/pipeline"
	"github.com/llm-observatory/collector/go/piiredactionprocessor/internal/metadata"
)

// metadataKind is the Rust stage this processor runs.
const metadataKind = "pii_redaction"

// NewFactory returns the pii_redaction processor factory.
func NewFactory() processor.Factory {
	return pipeline.NewFactory(metadata.Type, metadata.TracesStability, metadata.LogsStability,
		createDefaultConfig, newProcessor)
}

// createDefaultConfig mirrors the Rust defaults (rust/pii/src/config.rs).
func createDefaultConfig() component.Config {
	return &Config{
		Envelope: pipeline.DefaultEnvelope(), LogBodies: true, SpanEvents: true, ResourceAttributes: true,
		Action: "mask", MaskTemplate: "<{TYPE}>", HashTemplate: "<{TYPE}:hmac:{HASH}>",
		HashLength: 16, MaxValueBytes: 16 << 20,
	}
}
