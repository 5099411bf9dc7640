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

// createDefaultConfig takes the defaults from the Rust stage (rust/pii/src/config.rs).
func createDefaultConfig() component.Config {
	cfg := &Config{Envelope: pipeline.DefaultEnvelope()}
	pipeline.Defaults(metadataKind, cfg)
	return cfg
}
