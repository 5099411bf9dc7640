package pipeline

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The Rust stage writes the defaults once; a Go config that lacks one of its keys fails loudly
// instead of silently running on a zero value.
func TestDefaultsComeFromRustAndMustFit(t *testing.T) {
	type enrichment struct {
		KeepSourceAttributes bool `json:"keep_source_attributes"`
		Overwrite            bool `json:"overwrite"`
		InferProvider        bool `json:"infer_provider"`
		MessageContent       bool `json:"message_content"`
	}
	var full enrichment
	Defaults("llm_enrichment", &full)
	assert.Equal(t, enrichment{KeepSourceAttributes: true, InferProvider: true}, full)

	type missingOne struct {
		KeepSourceAttributes bool `json:"keep_source_attributes"`
	}
	assert.PanicsWithValue(t,
		`the default llm_enrichment config from the Rust library does not fit the Go config: json: unknown field "infer_provider"`,
		func() { Defaults("llm_enrichment", &missingOne{}) })
	require.Panics(t, func() { Defaults("no_such_processor", &full) })
}
