package llmpayloadbudgetprocessor

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/llm-observatory/collector/go/llmpayloadbudgetprocessor/internal/metadata"
)

func TestLoadConfig(t *testing.T) {
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)
	def := createDefaultConfig().(*Config)
	assert.False(t, def.Enabled, "off unless asked for")
	assert.Equal(t, 64<<10, def.MaxAttributeBytes)
	on := createDefaultConfig().(*Config)
	on.Enabled, on.MaxAttributeBytes, on.MaxItemBytes = true, 32768, 131072
	for _, tt := range []struct {
		id           component.ID
		expected     component.Config
		errorMessage string
	}{
		{id: component.NewID(metadata.Type), expected: def},
		{id: component.NewIDWithName(metadata.Type, "on"), expected: on},
		{id: component.NewIDWithName(metadata.Type, "too_small"), errorMessage: "max_attribute_bytes: must be at least 1024"},
	} {
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
