//go:build llmo_faults

package pipeline

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.uber.org/zap"
)

type countFailures struct{ failed int }

func (c *countFailures) Batch(_ context.Context, _ int, _ Counters, _ time.Duration, failed bool) {
	if failed {
		c.failed++
	}
}

// A fail-closed processor refuses the batch when the stage fails (a panic inside Rust here);
// a fail-open one passes it on unchanged. Both count the failure.
func TestFailClosedRefusesWhatFailOpenPassesOn(t *testing.T) {
	for _, closed := range []bool{false, true} {
		stage, err := NewStage("fault_injection", nil, zap.NewNop())
		require.NoError(t, err)
		tel := &countFailures{}
		p := &Processor{Stage: stage, Traces: true, Logs: true, Telemetry: tel, FailClosed: closed}
		td := ptrace.NewTraces()
		td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans().AppendEmpty().SetName("s")
		_, errT := p.ProcessTraces(context.Background(), td)
		ld := plog.NewLogs()
		ld.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords().AppendEmpty().Body().SetStr("x")
		_, errL := p.ProcessLogs(context.Background(), ld)
		if closed {
			assert.True(t, errors.Is(errT, ErrFailedClosed), "traces: %v", errT)
			assert.True(t, errors.Is(errL, ErrFailedClosed), "logs: %v", errL)
			// permanent: a retrying sender or queue must not resend a batch that fails closed
			assert.True(t, consumererror.IsPermanent(errT), "traces: %v", errT)
			assert.True(t, consumererror.IsPermanent(errL), "logs: %v", errL)
		} else {
			assert.NoError(t, errT)
			assert.NoError(t, errL)
		}
		assert.Equal(t, 2, tel.failed)
		require.NoError(t, p.Shutdown(context.Background()))
	}
}
