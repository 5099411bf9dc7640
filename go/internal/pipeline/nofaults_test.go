//go:build !llmo_faults

package pipeline

import (
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/llm-observatory/collector/go/internal/bridge"
)

// The collector's library has no processor kind that panics on purpose: that kind is built
// only into the test library (feature fault-injection, go test -tags llmo_faults).
func TestTheCollectorsLibraryHasNoFaultInjection(t *testing.T) {
	_, err := NewStage("fault_injection", nil, zap.NewNop())
	var be *bridge.Error
	require.ErrorAs(t, err, &be)
	require.Equal(t, uint32(bridge.CodeUnknownProcessor), be.Code)
}
