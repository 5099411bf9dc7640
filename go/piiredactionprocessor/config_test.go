package piiredactionprocessor

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/llm-observatory/collector/go/piiredactionprocessor/internal/metadata"
)

func TestLoadConfig(t *testing.T) {
	t.Setenv("PII_HMAC_KEY", "0123456789abcdef-test-key")
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)
	off := false
	hashing := createDefaultConfig().(*Config)
	hashing.HMACKey = "${env:PII_HMAC_KEY}" // confmaptest does not resolve providers
	hashing.Detectors = map[string]DetectorConfig{"email": {Action: "hash"}, "ip_address": {Enabled: &off}}
	hashing.CustomDetectors = []CustomDetector{{Name: "employee_id", Pattern: `(?-u:\b)EMP-[0-9]{6}(?-u:\b)`}}
	hashing.Allow = Allow{Values: []string{"support@example.com"}}
	hashing.ExcludeKeys = []string{"http.request.header.x-request-id", "k8s.*"}
	tests := []struct {
		id           component.ID
		expected     component.Config
		errorMessage string
	}{
		{id: component.NewID(metadata.Type), expected: createDefaultConfig()},
		{id: component.NewIDWithName(metadata.Type, "hashing"), expected: hashing},
		{id: component.NewIDWithName(metadata.Type, "hash_without_key"), errorMessage: "hmac_key"},
		{id: component.NewIDWithName(metadata.Type, "unknown_detector"), errorMessage: "emails"},
		{id: component.NewIDWithName(metadata.Type, "bad_pattern"), errorMessage: "custom_detectors[0].pattern"},
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

// The key goes to Rust but never into the config's printed form.
func TestTheKeyIsOpaque(t *testing.T) {
	cfg := createDefaultConfig().(*Config)
	cfg.HMACKey = "0123456789abcdef-secret"
	assert.NotContains(t, cfg.HMACKey.String(), "secret")
	require.NoError(t, cfg.Validate())
}
