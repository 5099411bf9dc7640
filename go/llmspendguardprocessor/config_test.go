package llmspendguardprocessor

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/llm-observatory/collector/go/internal/pipeline"
	"github.com/llm-observatory/collector/go/llmspendguardprocessor/internal/metadata"
)

func TestLoadConfig(t *testing.T) {
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)
	tests := []struct {
		id           component.ID
		expected     component.Config
		errorMessage string
	}{
		{id: component.NewID(metadata.Type), expected: &Config{Envelope: pipeline.DefaultEnvelope(), Interval: 5 * time.Minute,
			Dimensions: []Dimension{{Attribute: "tenant.id", TopK: k(100)}, {Attribute: "user.id", TopK: k(100)}}}},
		{id: component.NewIDWithName(metadata.Type, "tenants"), expected: &Config{Envelope: pipeline.DefaultEnvelope(), Interval: 10 * time.Minute,
			Dimensions: []Dimension{{Attribute: "tenant.id", TopK: k(500)}, {Attribute: "user.id", TopK: k(50)}}}},
		{id: component.NewIDWithName(metadata.Type, "twice"), errorMessage: "dimensions[1].attribute: is listed twice"},
		{id: component.NewIDWithName(metadata.Type, "short_interval"), errorMessage: "interval: must be at least 1s"},
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

func k(v uint32) *uint32 { return &v }
