package pipeline

import (
	"context"
	"runtime"
	"sync"
	"time"

	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.uber.org/zap"

	"github.com/llm-observatory/collector/go/internal/bridge"
)

// Result is what one batch did, for the processor's telemetry.
type Result struct {
	// Items is the number of spans or log records in the batch.
	Items int
	// Sent is the number of items that crossed into Rust.
	Sent int
	// Counters are the stage's own counters (e.g. "llm_items").
	Counters Counters
	// Duration is the time spent encoding, in Rust and applying.
	Duration time.Duration
}

// Stage runs one Rust stage over batches. It is safe for concurrent use.
type Stage struct {
	proc     *bridge.Processor
	interest *Interest
	encoders encoders
	logger   *zap.Logger
	limiter  *RateLimiter
}

// NewStage creates the Rust processor of the given kind.
func NewStage(kind string, configJSON []byte, logger *zap.Logger) (*Stage, error) {
	p, err := bridge.New(kind, configJSON)
	if err != nil {
		return nil, err
	}
	raw, err := p.Interest()
	if err != nil {
		p.Close()
		return nil, err
	}
	in, err := decodeInterest(raw)
	if err != nil {
		p.Close()
		return nil, err
	}
	s := &Stage{proc: p, interest: in, logger: logger, limiter: NewRateLimiter(time.Minute),
		encoders: make(encoders, runtime.GOMAXPROCS(0))}
	return s, nil
}

// encoders keeps the encoders of finished batches for the next ones: a request buffer grows
// to the size of a batch (about 1 MB for a W1 batch with every string, as pii_redaction asks),
// and a sync.Pool would hand it to the garbage collector at every cycle, so most batches
// grew a new one. At most one per core is kept, none over maxKeptBuffer.
type encoders chan *encoder

const maxKeptBuffer = 16 << 20

func (c encoders) get() *encoder {
	select {
	case e := <-c:
		return e
	default:
		return &encoder{buf: make([]byte, 0, 64<<10)}
	}
}

func (c encoders) put(e *encoder) {
	if cap(e.buf) > maxKeptBuffer {
		return
	}
	select {
	case c <- e:
	default:
	}
}

// Close frees the Rust handle.
func (s *Stage) Close() { s.proc.Close() }

func (s *Stage) run(encode func(*encoder, []target) ([]target, int)) (Result, error) {
	start := time.Now()
	enc := s.encoders.get()
	defer s.encoders.put(enc)
	enc.reset()
	targets, total := encode(enc, enc.targets[:0])
	// the pooled encoder keeps its slices, not the batch they point into
	defer func() { clear(targets); enc.targets = targets[:0]; enc.resp.reset() }()
	res := Result{Items: total, Sent: len(targets)}
	if len(targets) == 0 {
		res.Duration = time.Since(start)
		return res, nil
	}
	resp := &enc.resp
	// applied inside the callback, while the response lives: nested values are built from it
	err := s.proc.Process(enc.finish(), func(b []byte) error {
		if err := resp.decode(b, targets, s.interest); err != nil {
			return err
		}
		resp.apply(targets, s.interest)
		resp.b = nil
		return nil
	})
	if err != nil {
		res.Duration = time.Since(start)
		return res, err
	}
	res.Counters = resp.counters
	res.Duration = time.Since(start)
	return res, nil
}

// Traces processes a batch of spans in place. On error the batch is unchanged.
func (s *Stage) Traces(_ context.Context, td ptrace.Traces) (Result, error) {
	return s.run(func(e *encoder, t []target) ([]target, int) { return e.encodeTraces(s.interest, td, t) })
}

// Logs processes a batch of log records in place. On error the batch is unchanged.
func (s *Stage) Logs(_ context.Context, ld plog.Logs) (Result, error) {
	return s.run(func(e *encoder, t []target) ([]target, int) { return e.encodeLogs(s.interest, ld, t) })
}

// LogFailure logs a failed batch at most once per interval, with how many were suppressed.
func (s *Stage) LogFailure(signal string, err error) {
	if n, ok := s.limiter.Allow(); ok {
		s.logger.Warn("batch passed through unchanged: the Rust stage failed",
			zap.String("signal", signal), zap.Error(err), zap.Uint64("suppressed_since_last", n))
	}
}

// RateLimiter lets one event through per interval and counts the rest.
type RateLimiter struct {
	mu         sync.Mutex
	interval   time.Duration
	last       time.Time
	suppressed uint64
}

// NewRateLimiter allows one event per interval.
func NewRateLimiter(interval time.Duration) *RateLimiter {
	return &RateLimiter{interval: interval}
}

// Allow reports whether to emit now, and how many events were suppressed before it.
func (r *RateLimiter) Allow() (uint64, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := time.Now()
	if r.last.IsZero() || now.Sub(r.last) >= r.interval {
		n := r.suppressed
		r.suppressed = 0
		r.last = now
		return n, true
	}
	r.suppressed++
	return 0, false
}
