//! The C ABI of the LLM Observatory processors: the only static library the Go components link.
//!
//! This crate marshals and nothing else; the logic lives in the domain crates.
//!
//! Conventions (as in rustls-ffi):
//! * Every symbol starts with `llmo_`. [`llmo_abi_version`] is checked by Go at start-up.
//! * Every export runs inside one panic boundary: a panic becomes [`LlmoResult::Panic`],
//!   never an abort, and never unwinds into Go.
//! * Pointers are checked for null; outputs are written only on success (error buffers only
//!   on failure).
//! * Processor kinds: `llm_enrichment`, `token_counting`, `cost_calculation`,
//!   `pii_redaction`, `llm_rollup`, `llm_spend_guard`, `llm_payload_budget`.
//! * A processor is an opaque, immutable handle made from its kind and JSON config; it is
//!   `Send + Sync` and may be used from many threads at once. Free it with
//!   [`llmo_processor_free`].
//! * Every [`LlmoBuffer`] Rust hands out is freed with [`llmo_buffer_free`].

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

use llmo_schema::edits::Edits;
use llmo_schema::view::Batch;
use llmo_schema::Stage;

/// The ABI version. Bump it on any change to a signature, a wire format or a result code.
pub const LLMO_ABI_VERSION: u32 = 5;

/// Result of a call. Numbers are never reused.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LlmoResult {
    /// Success.
    Ok = 0,
    /// A required pointer was null.
    NullParameter = 1,
    /// The config was rejected; the error buffer says why, naming the key.
    InvalidConfig = 2,
    /// No processor of that kind.
    UnknownProcessor = 3,
    /// The request bytes did not decode; the error buffer says where.
    MalformedInput = 4,
    /// Rust panicked; the error buffer has the message. The handle is still usable.
    Panic = 5,
}

impl LlmoResult {
    /// What the code means, in a few words.
    pub fn message(self) -> &'static str {
        match self {
            LlmoResult::Ok => "ok",
            LlmoResult::NullParameter => "a required pointer was null",
            LlmoResult::InvalidConfig => "invalid processor configuration",
            LlmoResult::UnknownProcessor => "unknown processor kind",
            LlmoResult::MalformedInput => "malformed batch view",
            LlmoResult::Panic => "panic inside the Rust library",
        }
    }
}

impl std::fmt::Display for LlmoResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

impl TryFrom<u32> for LlmoResult {
    type Error = u32;

    fn try_from(code: u32) -> Result<Self, u32> {
        Ok(match code {
            0 => LlmoResult::Ok,
            1 => LlmoResult::NullParameter,
            2 => LlmoResult::InvalidConfig,
            3 => LlmoResult::UnknownProcessor,
            4 => LlmoResult::MalformedInput,
            5 => LlmoResult::Panic,
            other => return Err(other),
        })
    }
}

/// A byte buffer owned by Rust. Free with [`llmo_buffer_free`].
#[repr(C)]
pub struct LlmoBuffer {
    /// Start of the bytes (null for an empty buffer).
    pub ptr: *mut u8,
    /// Number of bytes.
    pub len: usize,
    /// Allocation capacity (for freeing).
    pub cap: usize,
}

impl LlmoBuffer {
    fn from_vec(v: Vec<u8>) -> Self {
        let mut v = std::mem::ManuallyDrop::new(v);
        LlmoBuffer {
            ptr: v.as_mut_ptr(),
            len: v.len(),
            cap: v.capacity(),
        }
    }
}

/// An opaque processor handle.
pub struct LlmoProcessor {
    stage: Box<dyn Stage>,
}

fn quiet_panics() {
    // A panic is reported through the result code and error buffer, and Go logs it
    // rate-limited; the default hook would print a backtrace to stderr for every one. The
    // first one is written to stderr with where it happened (the message Go logs has no
    // location); later ones only through Go.
    static ONCE: Once = Once::new();
    if cfg!(not(test)) {
        ONCE.call_once(|| {
            let first = Once::new();
            std::panic::set_hook(Box::new(move |info| {
                first.call_once(|| {
                    eprintln!(
                        "llmo: first panic inside the Rust library (reported to Go as an error; \
                         later ones are not printed here): {info}"
                    )
                })
            }))
        });
    }
}

fn panic_message(p: Box<dyn std::any::Any + Send>) -> String {
    let msg = p
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic payload".into());
    format!("panic in Rust: {msg}")
}

/// Writes `msg` to `err_out` if it is not null.
///
/// # Safety
/// `err_out` is null or valid for writes.
unsafe fn set_err(err_out: *mut LlmoBuffer, msg: String) {
    if !err_out.is_null() {
        // SAFETY: checked non-null; the caller promises it is writable.
        unsafe { err_out.write(LlmoBuffer::from_vec(msg.into_bytes())) };
    }
}

/// Runs `f` inside the panic boundary.
///
/// # Safety
/// `err_out` is null or valid for writes.
unsafe fn boundary(
    err_out: *mut LlmoBuffer,
    f: impl FnOnce() -> Result<(), (LlmoResult, String)>,
) -> LlmoResult {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => LlmoResult::Ok,
        Ok(Err((code, msg))) => {
            // SAFETY: forwarded from the caller.
            unsafe { set_err(err_out, msg) };
            code
        }
        Err(p) => {
            // SAFETY: forwarded from the caller.
            unsafe { set_err(err_out, panic_message(p)) };
            LlmoResult::Panic
        }
    }
}

/// # Safety
/// `ptr` is null (then `len` must be 0) or valid for `len` bytes of reads.
unsafe fn slice<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if ptr.is_null() || len == 0 {
        &[]
    } else {
        // SAFETY: the caller promises ptr..ptr+len is readable for the call's duration.
        unsafe { std::slice::from_raw_parts(ptr, len) }
    }
}

/// A stage that panics on every batch, so tests can prove that a panic inside Rust fails open
/// and never crosses into Go. Only in test builds and the `fault-injection` feature's library:
/// the collector's library has no such kind.
#[cfg(any(test, feature = "fault-injection"))]
struct FaultInjection;

#[cfg(any(test, feature = "fault-injection"))]
impl Stage for FaultInjection {
    fn interest(&self) -> llmo_schema::Interest {
        llmo_schema::Interest {
            all_items: true,
            ..Default::default()
        }
    }
    fn process(&self, _: &Batch<'_>, _: &mut Edits) {
        panic!("fault injection: this stage always panics");
    }
}

fn make_stage(kind: &[u8], config: &[u8]) -> Result<Box<dyn Stage>, (LlmoResult, String)> {
    let invalid = |e: &dyn std::fmt::Display| (LlmoResult::InvalidConfig, e.to_string());
    match kind {
        b"llm_enrichment" => Ok(Box::new(
            llmo_enrich::Enricher::from_json(config).map_err(|e| invalid(&e))?,
        )),
        b"token_counting" => Ok(Box::new(
            llmo_tokens::TokenCounter::from_json(config).map_err(|e| invalid(&e))?,
        )),
        b"cost_calculation" => Ok(Box::new(
            llmo_cost::CostCalculator::from_json(config).map_err(|e| invalid(&e))?,
        )),
        b"pii_redaction" => Ok(Box::new(
            llmo_pii::PiiRedactor::from_json(config).map_err(|e| invalid(&e))?,
        )),
        b"llm_rollup" => Ok(Box::new(
            llmo_rollup::Rollup::from_json(config).map_err(|e| invalid(&e))?,
        )),
        b"llm_spend_guard" => Ok(Box::new(
            llmo_spend::SpendGuard::from_json(config).map_err(|e| invalid(&e))?,
        )),
        b"llm_payload_budget" => Ok(Box::new(
            llmo_payload::PayloadBudget::from_json(config).map_err(|e| invalid(&e))?,
        )),
        #[cfg(any(test, feature = "fault-injection"))]
        b"fault_injection" => Ok(Box::new(FaultInjection)),
        other => Err((
            LlmoResult::UnknownProcessor,
            format!(
                "unknown processor kind {:?}",
                String::from_utf8_lossy(other)
            ),
        )),
    }
}

/// The default config of a processor kind as JSON with the YAML keys: the one place the
/// defaults are written (the Go factories read them from here).
fn default_config(kind: &[u8]) -> Result<Vec<u8>, (LlmoResult, String)> {
    let json = match kind {
        b"llm_enrichment" => serde_json::to_value(llmo_enrich::EnrichConfig::default()),
        b"token_counting" => serde_json::to_value(llmo_tokens::TokensConfig::default()),
        b"cost_calculation" => serde_json::to_value(llmo_cost::CostConfig::default()),
        b"pii_redaction" => serde_json::to_value(llmo_pii::PiiConfig::default()),
        b"llm_rollup" => serde_json::to_value(llmo_rollup::RollupConfig::default()),
        b"llm_spend_guard" => serde_json::to_value(llmo_spend::SpendConfig::default()),
        b"llm_payload_budget" => serde_json::to_value(llmo_payload::PayloadConfig::default()),
        other => {
            return Err((
                LlmoResult::UnknownProcessor,
                format!(
                    "unknown processor kind {:?}",
                    String::from_utf8_lossy(other)
                ),
            ))
        }
    };
    let mut json = json.map_err(|e| {
        (
            LlmoResult::InvalidConfig,
            format!("the default config does not serialize: {e}"),
        )
    })?;
    prune(&mut json);
    Ok(json.to_string().into_bytes())
}

/// Drops what a default leaves unset (nulls, empty lists and maps), so the Go config keeps
/// its zero values there and YAML merges into nothing.
fn prune(v: &mut serde_json::Value) {
    use serde_json::Value as J;
    if let J::Object(m) = v {
        m.values_mut().for_each(prune);
        m.retain(|_, v| match v {
            J::Null => false,
            J::Array(a) => !a.is_empty(),
            J::Object(o) => !o.is_empty(),
            _ => true,
        });
    }
}

/// The ABI version this library implements ([`LLMO_ABI_VERSION`]).
#[no_mangle]
pub extern "C" fn llmo_abi_version() -> u32 {
    LLMO_ABI_VERSION
}

/// Creates a processor of `kind` (e.g. `llm_enrichment`) from its JSON config.
///
/// On success writes the handle to `*out`. On failure writes a message naming the offending
/// config key to `*err_out` (if not null; free it with [`llmo_buffer_free`]).
///
/// # Safety
/// `kind` and `config` point to `kind_len` / `config_len` readable bytes (or are null with
/// length 0); `out` is writable; `err_out` is null or writable.
#[no_mangle]
pub unsafe extern "C" fn llmo_processor_new(
    kind: *const u8,
    kind_len: usize,
    config: *const u8,
    config_len: usize,
    out: *mut *mut LlmoProcessor,
    err_out: *mut LlmoBuffer,
) -> LlmoResult {
    quiet_panics();
    if kind.is_null() || out.is_null() {
        return LlmoResult::NullParameter;
    }
    // SAFETY: pointers and lengths come from the caller as documented.
    unsafe {
        boundary(err_out, || {
            let stage = make_stage(slice(kind, kind_len), slice(config, config_len))?;
            let handle = Box::into_raw(Box::new(LlmoProcessor { stage }));
            out.write(handle);
            Ok(())
        })
    }
}

/// Writes the default config of processor `kind` (JSON, the YAML keys) to `*out` (free it
/// with [`llmo_buffer_free`]). On failure `*err_out` gets the reason.
///
/// # Safety
/// `kind` points to `kind_len` readable bytes; `out` is writable; `err_out` is null or writable.
#[no_mangle]
pub unsafe extern "C" fn llmo_processor_defaults(
    kind: *const u8,
    kind_len: usize,
    out: *mut LlmoBuffer,
    err_out: *mut LlmoBuffer,
) -> LlmoResult {
    quiet_panics();
    if kind.is_null() || out.is_null() {
        return LlmoResult::NullParameter;
    }
    // SAFETY: pointers and lengths come from the caller as documented.
    unsafe {
        boundary(err_out, || {
            let json = default_config(slice(kind, kind_len))?;
            out.write(LlmoBuffer::from_vec(json));
            Ok(())
        })
    }
}

/// Frees a processor. Null is ignored.
///
/// # Safety
/// `p` came from [`llmo_processor_new`] and is not used again, by any thread.
#[no_mangle]
pub unsafe extern "C" fn llmo_processor_free(p: *mut LlmoProcessor) {
    if p.is_null() {
        return;
    }
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: the caller gives up the handle made by Box::into_raw.
        drop(unsafe { Box::from_raw(p) });
    }));
}

/// Writes the encoded [`llmo_schema::Interest`] of the processor (JSON) to `*out`. On
/// failure `*err_out` gets the reason.
///
/// # Safety
/// `p` is a live handle; `out` is writable; `err_out` is null or writable.
#[no_mangle]
pub unsafe extern "C" fn llmo_processor_interest(
    p: *const LlmoProcessor,
    out: *mut LlmoBuffer,
    err_out: *mut LlmoBuffer,
) -> LlmoResult {
    if p.is_null() || out.is_null() {
        return LlmoResult::NullParameter;
    }
    // SAFETY: checked non-null; the caller keeps the handle alive.
    unsafe {
        boundary(err_out, || {
            let bytes = (*p).stage.interest().encode();
            out.write(LlmoBuffer::from_vec(bytes));
            Ok(())
        })
    }
}

/// Processes one batch view (request format in `llmo_schema::wire`) and writes the edits
/// (format in `llmo_schema::edits`) to `*out`. On failure `*err_out` gets the reason.
///
/// # Safety
/// `p` is a live handle; `req` points to `req_len` readable bytes (or is null with 0);
/// `out` is writable; `err_out` is null or writable.
#[no_mangle]
pub unsafe extern "C" fn llmo_processor_process(
    p: *const LlmoProcessor,
    req: *const u8,
    req_len: usize,
    out: *mut LlmoBuffer,
    err_out: *mut LlmoBuffer,
) -> LlmoResult {
    if p.is_null() || out.is_null() {
        return LlmoResult::NullParameter;
    }
    // SAFETY: as documented above.
    unsafe {
        boundary(err_out, || {
            let bytes = slice(req, req_len);
            let batch =
                Batch::decode(bytes).map_err(|e| (LlmoResult::MalformedInput, e.to_string()))?;
            // about a hundred bytes of edits per item sent is typical (enrichment writes
            // a handful of attributes); a first guess saves the doublings
            let mut edits = Edits::with_capacity(4096 + batch.items.len() * 128);
            (*p).stage.process(&batch, &mut edits);
            out.write(LlmoBuffer::from_vec(edits.finish()));
            Ok(())
        })
    }
}

/// Frees a buffer Rust handed out. An empty/null buffer is ignored.
///
/// # Safety
/// `buf` came from this library and is freed once.
#[no_mangle]
pub unsafe extern "C" fn llmo_buffer_free(buf: LlmoBuffer) {
    if buf.ptr.is_null() {
        return;
    }
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: ptr/len/cap came from a Vec<u8> we leaked in from_vec.
        drop(unsafe { Vec::from_raw_parts(buf.ptr, buf.len, buf.cap) });
    }));
}

/// Writes a static description of `code` (not NUL-terminated) into `buf` (up to `len` bytes)
/// and the number of bytes written to `*out_n`.
///
/// # Safety
/// `buf` is writable for `len` bytes; `out_n` is writable.
#[no_mangle]
pub unsafe extern "C" fn llmo_error_message(
    code: u32,
    buf: *mut u8,
    len: usize,
    out_n: *mut usize,
) {
    if buf.is_null() || out_n.is_null() {
        return;
    }
    let msg = LlmoResult::try_from(code)
        .map(LlmoResult::message)
        .unwrap_or("unknown result code")
        .as_bytes();
    let n = msg.len().min(len);
    // SAFETY: buf is writable for len >= n bytes; out_n is writable.
    unsafe {
        std::ptr::copy_nonoverlapping(msg.as_ptr(), buf, n);
        out_n.write(n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn empty() -> LlmoBuffer {
        LlmoBuffer {
            ptr: std::ptr::null_mut(),
            len: 0,
            cap: 0,
        }
    }

    fn new(kind: &str, cfg: &str) -> (LlmoResult, *mut LlmoProcessor, String) {
        let mut p = std::ptr::null_mut();
        let mut err = empty();
        let r = unsafe {
            llmo_processor_new(
                kind.as_ptr(),
                kind.len(),
                cfg.as_ptr(),
                cfg.len(),
                &mut p,
                &mut err,
            )
        };
        let msg = unsafe { String::from_utf8_lossy(slice(err.ptr, err.len)).into_owned() };
        unsafe { llmo_buffer_free(err) };
        (r, p, msg)
    }

    #[test]
    fn result_codes_round_trip_and_describe_themselves() {
        for code in 0..=5u32 {
            let r = LlmoResult::try_from(code).unwrap();
            assert_eq!(r as u32, code);
            let mut buf = [0u8; 64];
            let mut n = 0usize;
            // SAFETY: buf and n are writable.
            unsafe { llmo_error_message(code, buf.as_mut_ptr(), buf.len(), &mut n) };
            assert_eq!(&buf[..n], r.to_string().as_bytes());
        }
        assert_eq!(LlmoResult::try_from(6), Err(6));
    }

    #[test]
    fn every_kind_accepts_its_own_defaults() {
        for kind in [
            "llm_enrichment",
            "token_counting",
            "cost_calculation",
            "pii_redaction",
            "llm_rollup",
            "llm_spend_guard",
            "llm_payload_budget",
        ] {
            let json = default_config(kind.as_bytes()).unwrap();
            let text = String::from_utf8(json.clone()).unwrap();
            assert!(text.starts_with('{') && text.len() > 2, "{kind}: {text}");
            assert!(make_stage(kind.as_bytes(), &json).is_ok(), "{kind}: {text}");
        }
        let (code, msg) = default_config(b"nope").unwrap_err();
        assert_eq!(code, LlmoResult::UnknownProcessor);
        assert!(msg.contains("nope"), "{msg}");
    }

    #[test]
    fn config_errors_name_the_key() {
        let (r, p, msg) = new("llm_enrichment", r#"{"overwrite": 3}"#);
        assert_eq!(r, LlmoResult::InvalidConfig);
        assert!(p.is_null());
        assert!(msg.contains("invalid type"), "{msg}");
        let (r, _, msg) = new("nope", "{}");
        assert_eq!(r, LlmoResult::UnknownProcessor);
        assert!(msg.contains("nope"));
    }

    #[test]
    fn panics_become_error_codes_and_the_handle_survives() {
        let (r, p, _) = new("fault_injection", "");
        assert_eq!(r, LlmoResult::Ok);
        let req = llmo_schema::encoder::Encoder::new().finish();
        for _ in 0..3 {
            let mut out = empty();
            let mut err = empty();
            let r =
                unsafe { llmo_processor_process(p, req.as_ptr(), req.len(), &mut out, &mut err) };
            assert_eq!(r, LlmoResult::Panic);
            assert!(out.ptr.is_null(), "outputs are written only on success");
            let msg = unsafe { String::from_utf8_lossy(slice(err.ptr, err.len)).into_owned() };
            assert!(msg.contains("fault injection"), "{msg}");
            unsafe { llmo_buffer_free(err) };
        }
        unsafe { llmo_processor_free(p) };
    }

    #[test]
    fn malformed_requests_are_errors() {
        let (_, p, _) = new("llm_enrichment", "{}");
        let mut out = empty();
        let mut err = empty();
        let bad = [1u8, 0, 0, 0, 9];
        let r = unsafe { llmo_processor_process(p, bad.as_ptr(), bad.len(), &mut out, &mut err) };
        assert_eq!(r, LlmoResult::MalformedInput);
        unsafe { llmo_buffer_free(err) };
        // null pointers
        let r = unsafe {
            llmo_processor_process(
                std::ptr::null(),
                bad.as_ptr(),
                5,
                &mut out,
                std::ptr::null_mut(),
            )
        };
        assert_eq!(r, LlmoResult::NullParameter);
        unsafe { llmo_processor_free(p) };
    }

    #[test]
    fn processes_and_returns_edits() {
        let (_, p, _) = new("llm_enrichment", "{}");
        let mut enc = llmo_schema::encoder::Encoder::new();
        enc.begin_item(llmo_schema::view::ItemKind::Span, "chat", 4);
        enc.attr_str("gen_ai.system", "openai");
        enc.end_item_without_events_or_body();
        let req = enc.finish();
        let mut out = empty();
        let r = unsafe {
            llmo_processor_process(p, req.as_ptr(), req.len(), &mut out, std::ptr::null_mut())
        };
        assert_eq!(r, LlmoResult::Ok);
        let (edits, counters) =
            llmo_schema::edits::decode_response(unsafe { slice(out.ptr, out.len) }).unwrap();
        assert!(edits
            .iter()
            .any(|e| e.item == 4 && e.key == "gen_ai.provider.name"));
        assert!(counters.iter().any(|(k, v)| k == "llm_items" && *v == 1));
        unsafe { llmo_buffer_free(out) };
        unsafe { llmo_processor_free(p) };
    }
}
