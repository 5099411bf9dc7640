package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor"

	"github.com/llm-observatory/collector/go/internal/bridge"
)

// Telemetry is what a processor records per batch; each component maps it onto its own
// mdatagen instruments.
type Telemetry interface {
	// Batch records one batch: how many items it had, the stage's counters (nil when the
	// batch failed), how long the stage took (zero when nothing was sent) and whether it failed.
	Batch(ctx context.Context, items int, counters Counters, took time.Duration, failed bool)
}

// Processor is the shared body of our processors: it runs the stage over a batch and fails
// open, so whatever goes wrong the batch goes on unchanged.
type Processor struct {
	Stage     *Stage // nil when the processor is disabled
	Traces    bool
	Logs      bool
	Telemetry Telemetry
	// OnShutdown releases what the component made besides the stage (its telemetry).
	OnShutdown func()
	// FailClosed refuses a batch the stage could not process instead of passing it on
	// unchanged (pii_redaction: a secret must never pass because of an error).
	FailClosed bool
}

// ErrFailedClosed wraps the stage's error when a fail-closed processor refuses a batch. The
// refusal is permanent: the same batch would fail the same way, so a retrying sender or queue
// must drop it rather than resend it forever.
var ErrFailedClosed = errors.New("batch refused: the stage failed and this processor fails closed")

func refuse(err error) error {
	return consumererror.NewPermanent(fmt.Errorf("%w: %w", ErrFailedClosed, err))
}

func (p *Processor) record(ctx context.Context, signal string, res Result, err error) {
	took := time.Duration(0)
	if res.Sent > 0 {
		took = res.Duration
	}
	if err != nil {
		p.Telemetry.Batch(ctx, res.Items, nil, took, true)
		p.Stage.LogFailure(signal, err)
		return
	}
	p.Telemetry.Batch(ctx, res.Items, res.Counters, took, false)
}

// ProcessTraces is a processorhelper.ProcessTracesFunc.
func (p *Processor) ProcessTraces(ctx context.Context, td ptrace.Traces) (ptrace.Traces, error) {
	if p.Stage == nil || !p.Traces {
		return td, nil
	}
	res, err := p.Stage.Traces(ctx, td)
	p.record(ctx, "traces", res, err)
	if err != nil && p.FailClosed {
		return td, refuse(err)
	}
	return td, nil
}

// ProcessLogs is a processorhelper.ProcessLogsFunc.
func (p *Processor) ProcessLogs(ctx context.Context, ld plog.Logs) (plog.Logs, error) {
	if p.Stage == nil || !p.Logs {
		return ld, nil
	}
	res, err := p.Stage.Logs(ctx, ld)
	p.record(ctx, "logs", res, err)
	if err != nil && p.FailClosed {
		return ld, refuse(err)
	}
	return ld, nil
}

// Shutdown frees the Rust handle and runs OnShutdown.
func (p *Processor) Shutdown(context.Context) error {
	if p.Stage != nil {
		p.Stage.Close()
	}
	if p.OnShutdown != nil {
		p.OnShutdown()
	}
	return nil
}

// New builds the shared processor body: the Rust stage of the given kind from the component's
// config in its JSON form (wire), unless the component is disabled. onShutdown runs at
// Shutdown, or at once if New fails.
func New(set processor.Settings, kind string, env Envelope, wire any, tel Telemetry, onShutdown func()) (*Processor, error) {
	p := &Processor{Traces: env.Traces, Logs: env.Logs, Telemetry: tel, OnShutdown: onShutdown}
	if !env.Enabled {
		return p, nil
	}
	b, err := json.Marshal(wire)
	if err == nil {
		p.Stage, err = NewStage(kind, b, set.Logger)
	}
	if err != nil {
		if onShutdown != nil {
			onShutdown()
		}
		return nil, err
	}
	return p, nil
}

// Defaults fills cfg (a component Config, its JSON tags the YAML keys) with the Rust stage's
// defaults, the one place they are written. Every key must land in a field: a default the Go
// config does not carry is a build defect, so it panics (createDefaultConfig cannot fail), and
// the components' generated tests catch it before any release.
func Defaults(kind string, cfg any) {
	b, err := bridge.Defaults(kind)
	if err == nil {
		d := json.NewDecoder(bytes.NewReader(b))
		d.DisallowUnknownFields()
		err = d.Decode(cfg)
	}
	if err != nil {
		panic(fmt.Sprintf("the default %s config from the Rust library does not fit the Go config: %v", kind, err))
	}
}

// Validate checks a component config by letting the Rust stage parse it, so the rules and
// their messages (which name the key) live in one place.
func Validate(kind string, wire any) error {
	b, err := json.Marshal(wire)
	if err != nil {
		return err
	}
	if err := bridge.Validate(kind, b); err != nil {
		return fmt.Errorf("invalid %s config: %w", kind, err)
	}
	return nil
}
