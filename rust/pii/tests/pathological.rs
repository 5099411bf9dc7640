//! Inputs built to make a scanner quadratic, recurse or panic: they must finish (fast, even
//! in a debug build) and fail closed.

use std::time::{Duration, Instant};

use llmo_pii::{Engine, PiiConfig, Redacted, Tally, UNSCANNABLE_MARKER};

fn engine() -> Engine {
    Engine::new(&PiiConfig::default()).unwrap()
}

/// Debug builds are ~20x slower than release; this still catches anything quadratic.
const BUDGET: Duration = Duration::from_secs(20);

fn timed(name: &str, input: &str) -> Redacted {
    let e = engine();
    let t = Instant::now();
    let r = e.redact(input, &mut Tally::default());
    let took = t.elapsed();
    eprintln!("{name}: {} bytes in {took:?}", input.len());
    assert!(took < BUDGET, "{name} took {took:?}");
    r
}

#[test]
fn ten_megabytes_of_digits() {
    assert_eq!(timed("digits", &"7".repeat(10 << 20)), Redacted::Unchanged);
    assert_eq!(
        timed("spaced digits", &"1 ".repeat(1 << 19)),
        Redacted::Unchanged
    );
    assert_eq!(
        timed("dashed digits", &"12-".repeat(1 << 18)),
        Redacted::Unchanged
    );
    assert_eq!(
        timed("dotted digits", &"1.".repeat(1 << 19)),
        Redacted::Unchanged
    );
    assert_eq!(
        timed("parens", &"(1) ".repeat(1 << 18)),
        Redacted::Unchanged
    );
    assert_eq!(timed("plus", &"+1".repeat(1 << 19)), Redacted::Unchanged);
}

#[test]
fn phones_in_a_long_run_of_groups_are_still_found() {
    // more groups than one run holds at once: findings past the cap are not lost
    let mut s = "12 ".repeat(100);
    s.push_str("415-555-2671 ");
    s.push_str(&"34 ".repeat(100));
    let Redacted::Changed(out) = timed("long run", &s) else {
        panic!("phone not found")
    };
    assert!(out.contains("<PHONE>") && !out.contains("2671"));
}

#[test]
fn one_megabyte_of_at_signs_and_near_emails() {
    assert_eq!(timed("@", &"@".repeat(1 << 20)), Redacted::Unchanged);
    assert_eq!(timed("a@", &"a@".repeat(1 << 19)), Redacted::Unchanged);
    let long_local = format!("{}@example.com", "a".repeat(1 << 20));
    assert_eq!(timed("long local part", &long_local), Redacted::Unchanged);
    let long_domain = format!("a@{}", "b.".repeat(1 << 19));
    assert_eq!(timed("long domain", &long_domain), Redacted::Unchanged);
    let r = timed("many emails", &"a@b.co ".repeat(1 << 17));
    assert!(matches!(r, Redacted::Changed(s) if !s.contains('@')));
}

#[test]
fn repeated_anchors() {
    for (name, unit) in [
        ("sk-", "sk-"),
        ("eyJ", "eyJ"),
        ("eyJ.", "eyJ."),
        ("scheme", "://"),
        ("scheme@", "a://b@"),
        ("colons", ":"),
        ("hex colons", "a:"),
        ("bearer", "Bearer "),
        ("basic", "Basic "),
        ("aws", "aws "),
        ("secret", "secret "),
        ("akia", "AKIA"),
        ("xox", "xoxb-"),
        ("hooks", "hooks.slack.com/"),
        ("iban-ish", "DE89 "),
    ] {
        let s = unit.repeat((1 << 20) / unit.len());
        let e = engine();
        let t = Instant::now();
        let _ = e.redact(&s, &mut Tally::default());
        let took = t.elapsed();
        eprintln!("{name}: {} bytes in {took:?}", s.len());
        assert!(took < BUDGET, "{name} took {took:?}");
    }
}

#[test]
fn unterminated_pem_blocks_redact_to_the_end() {
    let s = "x -----BEGIN PRIVATE KEY-----\nMIIE ".repeat(20_000);
    let Redacted::Changed(out) = timed("pem", &s) else {
        panic!()
    };
    assert_eq!(out, "x <PRIVATE_KEY>");
}

#[test]
fn deeply_nested_json() {
    let depth = 500_000;
    let doc = format!(
        "{}\"bob@example.com\"{}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let Redacted::Changed(out) = timed("nested arrays", &doc) else {
        panic!()
    };
    assert!(out.contains("\"<EMAIL>\""));
    let objects = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
    assert_eq!(timed("nested objects", &objects), Redacted::Unchanged);
    // broken at the very end: falls back to plain text, still redacted
    let broken = format!("{}\"bob@example.com\"", "[".repeat(depth));
    assert!(
        matches!(timed("broken nesting", &broken), Redacted::Changed(s) if s.contains("<EMAIL>"))
    );
}

#[test]
fn values_over_the_bound_fail_closed() {
    let cfg = PiiConfig {
        max_value_bytes: 1024,
        ..PiiConfig::default()
    };
    let e = Engine::new(&cfg).unwrap();
    let mut t = Tally::default();
    assert_eq!(
        e.redact(&"x".repeat(1025), &mut t),
        Redacted::Changed(UNSCANNABLE_MARKER.into())
    );
    assert_eq!(
        e.redact_bytes(&[0u8; 2048], &mut t),
        Redacted::Changed(UNSCANNABLE_MARKER.as_bytes().to_vec())
    );
    assert_eq!(t.unscannable(), 2);
    assert_eq!(e.redact(&"x".repeat(1024), &mut t), Redacted::Unchanged);
}

#[test]
fn invalid_utf8_neighbours_and_multibyte_text() {
    let e = engine();
    // non-ASCII letters are not word characters (ASCII boundaries): CJK text glued to numbers
    let s = "电话415-555-2671，邮箱bob@example.com。卡号4111111111111111";
    let Redacted::Changed(out) = e.redact(s, &mut Tally::default()) else {
        panic!()
    };
    assert_eq!(out, "电话<PHONE>，邮箱<EMAIL>。卡号<CREDIT_CARD>");
}
