// Package bridge is the only place that calls the Rust library (libllmo.a) through cgo.
//
// A Processor is an immutable Rust handle shared by all goroutines. Every call pins the Go
// memory it passes for the call's duration only; buffers Rust hands out are copied or read and
// freed before the call returns, so no C memory escapes this package.
package bridge

/*
#cgo CFLAGS: -I${SRCDIR}/../../../rust/ffi/include
#include <stdlib.h>
#include "llmo.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"unsafe"
)

// ABIVersion is the version of the C ABI this package was written against: the header's.
const ABIVersion = C.LLMO_ABI_VERSION

// ErrClosed is returned by calls on a closed Processor.
var ErrClosed = errors.New("llmo: processor is closed")

// LibraryHash is the sha256 of the linked libllmo.a, as `make` recorded it.
func LibraryHash() string { return libHash }

// CheckABI fails when the linked library implements another ABI version.
func CheckABI() error {
	if v := uint32(C.llmo_abi_version()); v != ABIVersion {
		return fmt.Errorf("llmo: the Rust library implements ABI %d, this build expects %d: rebuild with `make`", v, ABIVersion)
	}
	return nil
}

// Error is a failed call into Rust.
type Error struct {
	Code    uint32
	Message string
}

func (e *Error) Error() string {
	if e.Message != "" {
		return e.Message
	}
	buf := make([]byte, 128)
	var n C.size_t
	C.llmo_error_message(C.uint32_t(e.Code), (*C.uint8_t)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)), &n)
	return string(buf[:int(n)])
}

// Result codes of the C ABI, from the header (numbers never reused).
const (
	CodeInvalidConfig    = C.LLMO_RESULT_INVALID_CONFIG
	CodeUnknownProcessor = C.LLMO_RESULT_UNKNOWN_PROCESSOR
	CodeMalformedInput   = C.LLMO_RESULT_MALFORMED_INPUT
	CodePanic            = C.LLMO_RESULT_PANIC
)

// Processor is a Rust processor handle.
type Processor struct {
	mu  sync.RWMutex // guards ptr against Close during a call
	ptr *C.llmo_processor
}

func takeError(code C.llmo_result, errBuf *C.llmo_buffer) error {
	msg := ""
	if errBuf.ptr != nil {
		msg = C.GoStringN((*C.char)(unsafe.Pointer(errBuf.ptr)), C.int(errBuf.len))
		C.llmo_buffer_free(*errBuf)
	}
	return &Error{Code: uint32(code), Message: msg}
}

func bytesPtr(b []byte) *C.uint8_t {
	if len(b) == 0 {
		return nil
	}
	return (*C.uint8_t)(unsafe.Pointer(&b[0]))
}

// New creates a processor of the given kind from its JSON config.
func New(kind string, configJSON []byte) (*Processor, error) {
	if err := CheckABI(); err != nil {
		return nil, err
	}
	k := []byte(kind)
	var out *C.llmo_processor
	var errBuf C.llmo_buffer
	code := C.llmo_processor_new(bytesPtr(k), C.size_t(len(k)), bytesPtr(configJSON), C.size_t(len(configJSON)), &out, &errBuf)
	runtime.KeepAlive(k)
	runtime.KeepAlive(configJSON)
	if code != C.LLMO_RESULT_OK {
		return nil, takeError(code, &errBuf)
	}
	p := &Processor{ptr: out}
	// Backstop only: owners call Close.
	runtime.SetFinalizer(p, (*Processor).Close)
	return p, nil
}

// Validate checks a config by building and dropping a handle.
func Validate(kind string, configJSON []byte) error {
	p, err := New(kind, configJSON)
	if err != nil {
		return err
	}
	p.Close()
	return nil
}

// Defaults returns the default config of a processor kind as JSON with the YAML keys: the
// Rust library is the one place defaults are written.
func Defaults(kind string) ([]byte, error) {
	if err := CheckABI(); err != nil {
		return nil, err
	}
	k := []byte(kind)
	var out, errBuf C.llmo_buffer
	code := C.llmo_processor_defaults(bytesPtr(k), C.size_t(len(k)), &out, &errBuf)
	runtime.KeepAlive(k)
	if code != C.LLMO_RESULT_OK {
		return nil, takeError(code, &errBuf)
	}
	b := C.GoBytes(unsafe.Pointer(out.ptr), C.int(out.len))
	C.llmo_buffer_free(out)
	return b, nil
}

// Interest returns the interest set as JSON (see rust/schema/src/interest.rs).
func (p *Processor) Interest() ([]byte, error) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.ptr == nil {
		return nil, ErrClosed
	}
	var out, errBuf C.llmo_buffer
	code := C.llmo_processor_interest(p.ptr, &out, &errBuf)
	if code != C.LLMO_RESULT_OK {
		return nil, takeError(code, &errBuf)
	}
	b := C.GoBytes(unsafe.Pointer(out.ptr), C.int(out.len))
	C.llmo_buffer_free(out)
	return b, nil
}

// Process sends one encoded batch view and hands the response, which lives in Rust memory,
// to read. read must not keep the slice (copy what it needs); it is freed when read returns.
func (p *Processor) Process(req []byte, read func(resp []byte) error) error {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.ptr == nil {
		return ErrClosed
	}
	var out, errBuf C.llmo_buffer
	code := C.llmo_processor_process(p.ptr, bytesPtr(req), C.size_t(len(req)), &out, &errBuf)
	runtime.KeepAlive(req)
	if code != C.LLMO_RESULT_OK {
		return takeError(code, &errBuf)
	}
	defer C.llmo_buffer_free(out)
	var resp []byte
	if out.ptr != nil {
		resp = unsafe.Slice((*byte)(unsafe.Pointer(out.ptr)), int(out.len))
	}
	return read(resp)
}

// Close frees the handle. It is safe to call more than once.
func (p *Processor) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ptr != nil {
		C.llmo_processor_free(p.ptr)
		p.ptr = nil
		runtime.SetFinalizer(p, nil)
	}
}
