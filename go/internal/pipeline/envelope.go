package pipeline

// Envelope is the part of every processor's config that only the Go side reads: whether the
// processor runs, and on which signals. Each component's Config squashes it in (as contrib
// components embed shared settings), so the YAML keys stay `enabled`, `traces`, `logs`; it is
// never sent to the Rust stage, which sees only the batches Go decides to send.
type Envelope struct {
	// Enabled turns the processor on; when false it passes data through untouched.
	Enabled bool `mapstructure:"enabled" json:"-"`
	// Traces processes spans.
	Traces bool `mapstructure:"traces" json:"-"`
	// Logs processes log records.
	Logs bool `mapstructure:"logs" json:"-"`
}

// DefaultEnvelope is on, for both signals.
func DefaultEnvelope() Envelope { return Envelope{Enabled: true, Traces: true, Logs: true} }
