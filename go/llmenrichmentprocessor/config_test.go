package llmenrichmentprocessor

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/llm-observatory/collector/go/internal/pipeline"
	"github.com/llm-observatory/collector/go/llmenrichmentprocessor/internal/metadata"
)

func TestLoadConfig(t *testing.T) {
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)

	tests := []struct {
		id           component.ID
		expected     component.Config
		errorMessage string
	}{
		{
			id:       component.NewID(metadata.Type),
			expected: createDefaultConfig(),
		},
		{
			id: component.NewIDWithName(metadata.Type, "custom"),
			expected: &Config{
				Envelope: pipeline.Envelope{Enabled: true, Traces: true, Logs: false}, KeepSourceAttributes: false, Overwrite: true, InferProvider: true,
				ModelAliases: map[string]string{"prod-gpt4o": "gpt-4o-2024-08-06"},
				AttributeMappings: map[string]string{
					"acme.llm.model":         "gen_ai.request.model",
					"acme.llm.prompt_tokens": "gen_ai.usage.input_tokens",
				},
				MessageContent: true,
			},
		},
		{
			id:       component.NewIDWithName(metadata.Type, "disabled"),
			expected: &Config{Envelope: pipeline.Envelope{Enabled: false, Traces: true, Logs: true}, KeepSourceAttributes: true, InferProvider: true},
		},
		{
			id: component.NewIDWithName(metadata.Type, "bad_mapping"),
			errorMessage: `invalid llm_enrichment config: attribute_mappings: "acme.llm.model" maps to "gen_ai.model", ` +
				`which is not one of the normalized names (gen_ai.provider.name, gen_ai.operation.name, gen_ai.request.model, ` +
				`gen_ai.response.model, gen_ai.usage.input_tokens, gen_ai.usage.output_tokens, gen_ai.usage.cache_read.input_tokens, ` +
				`gen_ai.usage.cache_creation.input_tokens, gen_ai.usage.reasoning.output_tokens, gen_ai.response.time_to_first_chunk)`,
		},
		{
			id:           component.NewIDWithName(metadata.Type, "unknown_key"),
			errorMessage: "has invalid keys: overwrite_all",
		},
	}
	for _, tt := range tests {
		t.Run(tt.id.String(), func(t *testing.T) {
			cfg := NewFactory().CreateDefaultConfig()
			sub, err := cm.Sub(tt.id.String())
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
			assert.Equal(t, tt.expected, cfg)
		})
	}
}
