package costcalculationprocessor // import "github.com/llm-observatory/collector/go/costcalculationprocessor"

import (
	"time"

	"github.com/llm-observatory/collector/go/internal/pipeline"
)

// Config configures the cost_calculation processor. Its JSON form is what the Rust stage
// reads (rust/cost/src/stage.rs), which validates it and names the offending key.
type Config struct {
	pipeline.Envelope `mapstructure:",squash"`
	// PreferReportedCost trusts a cost the instrumentation reported (gen_ai.usage.cost) over
	// the catalog's; either way the reported value is kept under llm_observatory.cost.reported.
	PreferReportedCost bool `mapstructure:"prefer_reported_cost" json:"prefer_reported_cost"`
	// PlainCostAttribute also writes the cost as the plain gen_ai.usage.cost double, which
	// SigNoz's and Langfuse's LLM dashboards read, unless the span arrived with one.
	PlainCostAttribute bool `mapstructure:"plain_cost_attribute" json:"plain_cost_attribute"`
	// PricingFile is a newer price map in LiteLLM's model_prices_and_context_window.json
	// format, laid over the embedded catalog: the file wins for the models it lists.
	PricingFile string `mapstructure:"pricing_file" json:"pricing_file,omitempty"`
	// PricingFileDate is the date of the file's prices (YYYY-MM-DD), written with the costs it
	// gives; by default the file's modification date.
	// YAML reads an unquoted date as a timestamp, so dates are taken in either form.
	PricingFileDate any `mapstructure:"pricing_file_date" json:"pricing_file_date,omitempty"`
	// Prices are the user's own prices by model pattern, tried before the catalog. Among the
	// rules matching a call the most specific pattern wins, then the latest effective_from
	// not after the span's start.
	Prices []PriceOverride `mapstructure:"prices" json:"prices,omitempty"`
	// ProviderDiscounts multiplies every cost of a provider (gen_ai.provider.name), e.g.
	// {openai: 0.8} for a negotiated 20% discount.
	ProviderDiscounts map[string]float64 `mapstructure:"provider_discounts" json:"provider_discounts,omitempty"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// PriceOverride is one user price, in LiteLLM's rate names (USD per token).
type PriceOverride struct {
	// Model is a model id or a glob pattern (* any run, ? one character), case-insensitive,
	// matched against the reported and the canonical model id.
	Model string `mapstructure:"model" json:"model"`
	// Provider limits the rule to calls of this gen_ai.provider.name.
	Provider string `mapstructure:"provider" json:"provider,omitempty"`
	// EffectiveFrom is the first day (2026-03-01) or instant (RFC 3339) the price applies to;
	// spans that started earlier use an older rule or the catalog.
	EffectiveFrom any `mapstructure:"effective_from" json:"effective_from,omitempty"`
	// Mode is chat (default) or embedding (input only).
	Mode string `mapstructure:"mode" json:"mode,omitempty"`
	// InputCostPerToken is the USD price of an uncached input token.
	InputCostPerToken float64 `mapstructure:"input_cost_per_token" json:"input_cost_per_token"`
	// OutputCostPerToken is the USD price of an output token.
	OutputCostPerToken *float64 `mapstructure:"output_cost_per_token" json:"output_cost_per_token,omitempty"`
	// CacheReadInputTokenCost is the USD price of a cached input token read.
	CacheReadInputTokenCost *float64 `mapstructure:"cache_read_input_token_cost" json:"cache_read_input_token_cost,omitempty"`
	// CacheCreationInputTokenCost is the USD price of an input token written to the cache.
	CacheCreationInputTokenCost *float64 `mapstructure:"cache_creation_input_token_cost" json:"cache_creation_input_token_cost,omitempty"`
	// OutputCostPerReasoningToken is the USD price of a reasoning token billed apart.
	OutputCostPerReasoningToken *float64 `mapstructure:"output_cost_per_reasoning_token" json:"output_cost_per_reasoning_token,omitempty"`
}

func (cfg *Config) wire() any {
	type plain Config
	w := plain(*cfg)
	w.PricingFileDate = dateText(w.PricingFileDate)
	w.Prices = make([]PriceOverride, len(cfg.Prices))
	for i, p := range cfg.Prices {
		p.EffectiveFrom = dateText(p.EffectiveFrom)
		w.Prices[i] = p
	}
	return w
}

// dateText gives a date the way it was written: YAML turns an unquoted 2026-03-01 into a
// timestamp, which goes back to that text; anything else is passed on for Rust to judge.
func dateText(v any) any {
	t, ok := v.(time.Time)
	if !ok {
		return v
	}
	if t.Equal(t.Truncate(24*time.Hour)) && t.Location() == time.UTC {
		return t.Format(time.DateOnly)
	}
	return t.Format(time.RFC3339Nano)
}

// Validate checks the configuration with the Rust stage, so the rules live in one place.
func (cfg *Config) Validate() error {
	return pipeline.Validate(metadataKind, cfg.wire())
}
