package piiredactionprocessor // import "github.com/llm-observatory/collector/go/piiredactionprocessor"

import (
	"go.opentelemetry.io/collector/config/configopaque"

	"github.com/llm-observatory/collector/go/internal/pipeline"
)

// Config configures the pii_redaction processor. Its JSON form is what the Rust stage reads
// (rust/pii/src/config.rs), which validates it and names the offending key.
type Config struct {
	pipeline.Envelope `mapstructure:",squash"`
	// LogBodies scans log bodies: strings, maps and arrays, recursively.
	LogBodies bool `mapstructure:"log_bodies" json:"log_bodies"`
	// SpanEvents scans span event attributes.
	SpanEvents bool `mapstructure:"span_events" json:"span_events"`
	// ResourceAttributes also scans resources and instrumentation scopes (on by default).
	ResourceAttributes bool `mapstructure:"resource_attributes" json:"resource_attributes"`
	// Action is what happens to a finding unless its detector says otherwise: mask (a typed
	// marker such as <EMAIL>), hash (a keyed HMAC-SHA256 marker) or drop (delete the attribute).
	Action string `mapstructure:"action" json:"action"`
	// MaskTemplate is the mask marker; {TYPE} is the detector name upper-cased, {type} as is.
	MaskTemplate string `mapstructure:"mask_template" json:"mask_template"`
	// HashTemplate is the hash marker; it must contain {HASH} and may contain {TYPE}/{type}.
	HashTemplate string `mapstructure:"hash_template" json:"hash_template"`
	// HMACKey keys the hash action (at least 16 bytes; use ${env:PII_HMAC_KEY}). Required
	// when any detector hashes: there is no unkeyed hash.
	HMACKey configopaque.String `mapstructure:"hmac_key" json:"-"`
	// HashLength is how many hex characters of the HMAC the marker keeps (even, 8 to 64).
	HashLength int `mapstructure:"hash_length" json:"hash_length"`
	// Detectors sets built-in detectors by name (email, phone, credit_card, iban, us_ssn,
	// ip_address, openai_api_key, anthropic_api_key, aws_access_key_id,
	// aws_secret_access_key, github_token, gitlab_token, slack_token, slack_webhook,
	// stripe_key, google_api_key, jwt, bearer_token, basic_auth, private_key, url_password,
	// secret_attribute).
	Detectors map[string]DetectorConfig `mapstructure:"detectors" json:"detectors,omitempty"`
	// CustomDetectors are named regular expressions run after the built-in detectors.
	CustomDetectors []CustomDetector `mapstructure:"custom_detectors" json:"custom_detectors,omitempty"`
	// Allow lists found values that are kept.
	Allow Allow `mapstructure:"allow" json:"allow"`
	// IncludeKeys limits scanning to attribute keys matching these globs (empty: all keys).
	IncludeKeys []string `mapstructure:"include_keys" json:"include_keys,omitempty"`
	// ExcludeKeys are attribute key globs never scanned; they win over IncludeKeys.
	ExcludeKeys []string `mapstructure:"exclude_keys" json:"exclude_keys,omitempty"`
	// SecretAttributeKeys are attribute key globs (matched lower-cased) that name a secret:
	// their whole value is redacted by the secret_attribute detector, whatever it looks like.
	// The default covers passwords, secrets, API keys, tokens, authorization and cookies;
	// [] turns it off.
	SecretAttributeKeys []string `mapstructure:"secret_attribute_keys" json:"secret_attribute_keys"`
	// MaxValueBytes is the largest string scanned; a longer one is replaced by the
	// unscannable marker (fail closed).
	MaxValueBytes int `mapstructure:"max_value_bytes" json:"max_value_bytes"`
	// ScanCacheEntries bounds the strings of 64+ bytes remembered clean by content hash,
	// so a resent conversation or repeated system prompt is scanned once (0: off).
	ScanCacheEntries int `mapstructure:"scan_cache_entries" json:"scan_cache_entries"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// DetectorConfig sets one built-in detector.
type DetectorConfig struct {
	// Enabled runs the detector (default true).
	Enabled *bool `mapstructure:"enabled" json:"enabled,omitempty"`
	// Action overrides the top-level action for this detector's findings.
	Action string `mapstructure:"action" json:"action,omitempty"`
	// Marker replaces the mask marker for this detector's findings.
	Marker string `mapstructure:"marker" json:"marker,omitempty"`
}

// CustomDetector is a named regular expression (Rust regex syntax; anchor it with the ASCII
// word boundary (?-u:\b)). Every match is a finding of type Name.
type CustomDetector struct {
	// Name is the type reported for its findings (lower-case letters, digits, _).
	Name string `mapstructure:"name" json:"name"`
	// Pattern is the regular expression.
	Pattern string `mapstructure:"pattern" json:"pattern"`
	// Action overrides the top-level action.
	Action string `mapstructure:"action" json:"action,omitempty"`
	// Marker replaces the mask marker.
	Marker string `mapstructure:"marker" json:"marker,omitempty"`
}

// Allow lists found values that are not redacted.
type Allow struct {
	// Values are exact found values to keep.
	Values []string `mapstructure:"values" json:"values,omitempty"`
	// Patterns are regular expressions; a found value one of them matches whole is kept.
	Patterns []string `mapstructure:"patterns" json:"patterns,omitempty"`
}

// wire is the JSON the Rust stage reads: the same keys, and the key in clear (it never leaves
// the process).
func (cfg *Config) wire() any {
	type plain Config
	var key *string
	if cfg.HMACKey != "" {
		k := string(cfg.HMACKey)
		key = &k
	}
	return struct {
		plain
		HMACKey *string `json:"hmac_key,omitempty"`
	}{plain(*cfg), key}
}

// Validate checks the configuration with the Rust stage, so the rules live in one place.
func (cfg *Config) Validate() error {
	return pipeline.Validate(metadataKind, cfg.wire())
}
