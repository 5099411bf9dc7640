package tokencountingprocessor

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/llm-observatory/collector/go/internal/pipeline"
	"github.com/llm-observatory/collector/go/tokencountingprocessor/internal/metadata"
)

func TestLoadConfig(t *testing.T) {
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)
	tests := []struct {
		id           component.ID
		expected     component.Config
		errorMessage string
	}{
		{id: component.NewID(metadata.Type), expected: createDefaultConfig()},
		{
			id: component.NewIDWithName(metadata.Type, "custom"),
			expected: &Config{
				Envelope: pipeline.DefaultEnvelope(), CountInput: true, CountOutput: false,
				MaxContentBytes: 262144, ModelTokenizers: map[string]string{"ft:acme-support-": "o200k_base"},
				FillEstimatedUsage: false, CountCacheEntries: 10000,
			},
		},
		{
			id:           component.NewIDWithName(metadata.Type, "bad_encoding"),
			errorMessage: `invalid token_counting config: model_tokenizers: "my-model" maps to "p50k", expected o200k_base or cl100k_base`,
		},
		{
			id:           component.NewIDWithName(metadata.Type, "missing_tokenizer_file"),
			errorMessage: `invalid token_counting config: tokenizer_files: "llama-3": cannot load /nonexistent/llama3/tokenizer.json: No such file or directory (os error 2)`,
		},
		{
			id:           component.NewIDWithName(metadata.Type, "zero_cap"),
			errorMessage: "invalid token_counting config: max_content_bytes: must be greater than 0",
		},
	}
	for _, tt := range tests {
		t.Run(tt.id.String(), func(t *testing.T) {
			cfg := NewFactory().CreateDefaultConfig()
			sub, err := cm.Sub(tt.id.String())
			require.NoError(t, err)
			require.NoError(t, sub.Unmarshal(cfg))
			err = confmap.Validate(cfg)
			if tt.errorMessage != "" {
				require.Error(t, err)
				assert.Equal(t, tt.errorMessage, err.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.expected, cfg)
		})
	}
}
