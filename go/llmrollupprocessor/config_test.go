package llmrollupprocessor

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/llm-observatory/collector/go/llmrollupprocessor/internal/metadata"
)

func TestLoadConfig(t *testing.T) {
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)
	tests := []struct {
		id           component.ID
		expected     component.Config
		errorMessage string
	}{
		{id: component.NewID(metadata.Type), expected: &Config{Enabled: true, DecisionWait: 10 * time.Second, MaxTraces: 50000, MaxSpans: 1000000}},
		{id: component.NewIDWithName(metadata.Type, "short"), expected: &Config{Enabled: true, DecisionWait: 2 * time.Second, MaxTraces: 1000, MaxSpans: 100000}},
		{id: component.NewIDWithName(metadata.Type, "off"), expected: &Config{Enabled: false, DecisionWait: 10 * time.Second, MaxTraces: 50000, MaxSpans: 1000000}},
		{id: component.NewIDWithName(metadata.Type, "no_wait"), errorMessage: "decision_wait: must be above 0"},
		{id: component.NewIDWithName(metadata.Type, "unknown_key"), errorMessage: "has invalid keys: max_trace"},
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
