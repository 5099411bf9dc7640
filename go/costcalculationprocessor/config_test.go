package costcalculationprocessor

import (
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/llm-observatory/collector/go/costcalculationprocessor/internal/metadata"
	"github.com/llm-observatory/collector/go/internal/pipeline"
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
			id:       component.NewIDWithName(metadata.Type, "reported_wins"),
			expected: &Config{Envelope: pipeline.DefaultEnvelope(), PreferReportedCost: true},
		},
		{
			id:       component.NewIDWithName(metadata.Type, "plain_cost"),
			expected: &Config{Envelope: pipeline.DefaultEnvelope(), PlainCostAttribute: true},
		},
		{id: component.NewIDWithName(metadata.Type, "unknown_key"), errorMessage: "has invalid keys: pricing_fiel"},
		{
			id: component.NewIDWithName(metadata.Type, "overrides"),
			expected: &Config{
				Envelope:    pipeline.DefaultEnvelope(),
				PricingFile: "testdata/prices.json", PricingFileDate: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
				Prices: []PriceOverride{
					{Model: "ft:gpt-4o-mini:acme:*", Provider: "openai", InputCostPerToken: 0.0000003, OutputCostPerToken: ptr(0.0000012)},
					{Model: "acme-llm-*", InputCostPerToken: 0.000001, EffectiveFrom: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)},
				},
				ProviderDiscounts: map[string]float64{"aws.bedrock": 0.85},
			},
		},
		{id: component.NewIDWithName(metadata.Type, "bad_date"), errorMessage: `prices[0].effective_from: "June" is not a date`},
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

func ptr(f float64) *float64 { return &f }

// Dates reach Rust as written, whether YAML read them as text or as timestamps.
func TestDatesReachRustAsWritten(t *testing.T) {
	cfg := &Config{PricingFileDate: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Prices: []PriceOverride{
		{Model: "a", EffectiveFrom: time.Date(2026, 6, 1, 12, 30, 0, 0, time.UTC)},
		{Model: "b", EffectiveFrom: "2026-06-01"},
	}}
	b, err := json.Marshal(cfg.wire())
	require.NoError(t, err)
	assert.Contains(t, string(b), `"pricing_file_date":"2026-11-01"`)
	assert.Contains(t, string(b), `"effective_from":"2026-06-01T12:30:00Z"`)
	assert.Contains(t, string(b), `"effective_from":"2026-06-01"`)
	_, isTime := cfg.Prices[0].EffectiveFrom.(time.Time)
	assert.True(t, isTime, "wire() does not change the config")
}
