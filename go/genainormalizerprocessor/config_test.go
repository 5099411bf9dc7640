package genainormalizerprocessor

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/llm-observatory/collector/go/genainormalizerprocessor/internal/metadata"
	"github.com/llm-observatory/collector/go/internal/pipeline"
	"github.com/llm-observatory/collector/go/llmenrichmentprocessor"
)

func TestLoadConfig(t *testing.T) {
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)

	tests := []struct {
		name         string
		expected     *llmenrichmentprocessor.Config
		errorMessage string
	}{
		{
			name: "map",
			expected: &llmenrichmentprocessor.Config{Envelope: pipeline.DefaultEnvelope(), InferProvider: true,
				KeepSourceAttributes: false,
				AttributeMappings:    map[string]string{"my_vendor.model": "gen_ai.request.model"}},
		},
		{
			name: "list",
			expected: &llmenrichmentprocessor.Config{Envelope: pipeline.DefaultEnvelope(), InferProvider: true,
				KeepSourceAttributes: true, AttributeMappings: map[string]string{}},
		},
		{
			// originals stay unless every listed source removes them
			name: "custom",
			expected: &llmenrichmentprocessor.Config{Envelope: pipeline.DefaultEnvelope(), InferProvider: true,
				KeepSourceAttributes: true, Overwrite: true,
				AttributeMappings: map[string]string{"acme.tokens.in": "gen_ai.usage.input_tokens"}},
		},
		{name: "empty", errorMessage: "sources: at least one source must be specified"},
		{name: "unknown_source", errorMessage: `sources: unknown source "smoke_signals" (known: crewai, custom, langchain, openinference, openllmetry, pydanticai)`},
		{name: "custom_without_mappings", errorMessage: "sources[custom].custom_mappings: required for the custom source"},
		{name: "conflict", errorMessage: `sources[openllmetry].custom_mappings: "acme.model" maps to "gen_ai.response.model" here and to "gen_ai.request.model" in another source`},
		{name: "bad_target", errorMessage: `attribute_mappings: "acme.model" maps to "gen_ai.modle"`},
		{name: "unknown_key", errorMessage: "has invalid keys: remove_original"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := NewFactory().CreateDefaultConfig().(*Config)
			sub, err := cm.Sub(component.NewIDWithName(metadata.Type, tt.name).String())
			require.NoError(t, err)
			err = sub.Unmarshal(cfg)
			if err == nil {
				err = confmap.Validate(cfg)
			}
			if tt.errorMessage != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.errorMessage)
				return
			}
			require.NoError(t, err)
			got, err := cfg.enrichment()
			require.NoError(t, err)
			assert.Equal(t, tt.expected, got)
		})
	}
}
