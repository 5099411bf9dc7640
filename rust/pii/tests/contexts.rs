//! Secrets in the short contexts real text puts them in (after `+`, in parentheses, after a
//! dash-joined group, between commas, in paths, with Unicode spaces between groups, glued by
//! `_`), and the near misses beside them that must stay clean or keep their own type.

use llmo_pii::{Engine, PiiConfig, Redacted, Tally};

fn engine() -> Engine {
    Engine::new(&PiiConfig::default()).unwrap()
}

/// The redacted text and the types found.
fn redact(e: &Engine, text: &str) -> (String, Vec<String>) {
    let mut tally = Tally::default();
    let out = match e.redact(text, &mut tally) {
        Redacted::Unchanged => text.to_string(),
        Redacted::Changed(s) => s,
        Redacted::Drop => panic!("{text:?}: dropped"),
    };
    let types = e.types(&tally).into_iter().map(String::from).collect();
    (out, types)
}

/// Card numbers in every written form the contexts below are tried with.
const CARDS: &[&str] = &[
    "4111 1111 1111 1111",
    "4111-1111-1111-1111",
    "4111111111111111",
    "5555555555554444",
    "5555 5555 5555 4444",
    "378282246310005",
    "3782 822463 10005",
    "4111\u{a0}1111\u{a0}1111\u{a0}1111",
    "4111\u{202f}1111\u{202f}1111\u{202f}1111",
    "4111\u{2009}1111\u{2009}1111\u{2009}1111",
    "4111\u{2007}1111\u{2007}1111\u{2007}1111",
    "3782\u{a0}822463\u{a0}10005",
];

/// `{}` is the card number.
const CARD_CONTEXTS: &[&str] = &[
    "{}",
    "card: {}.",
    "(number {})",
    "({})",
    "ref 12-{}",
    "2024-{}",
    ",{},",
    "a,{},b",
    "id,name\n7,{},bob",
    "path/{}",
    "/v1/cards/{}/charge",
    "C:\\{}",
    "dir\\{}",
    "\"{}\"",
    "'{}'",
    "card={}&x=1",
    "card:{}",
    "#{}",
    "{}\n",
    "pay\u{a0}{}\u{a0}now",
    "{}-12",
];

#[test]
fn cards_in_every_context_are_masked_exactly() {
    let e = engine();
    let mut failed = Vec::new();
    for ctx in CARD_CONTEXTS {
        for card in CARDS {
            let text = ctx.replace("{}", card);
            let want = ctx.replace("{}", "<CREDIT_CARD>");
            let got = redact(&e, &text);
            if got != (want.clone(), vec!["credit_card".to_string()]) {
                failed.push(format!("{text:?}: {got:?}, want {want:?}"));
            }
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn cards_after_a_plus_are_masked_without_the_plus() {
    let e = engine();
    // 16 digits are no E.164 number; 15 may be one (`+378...` is a San Marino number)
    for (text, want) in [
        ("+4111111111111111", "+<CREDIT_CARD>"),
        ("+5555555555554444", "+<CREDIT_CARD>"),
        ("+4111 1111 1111 1111", "+<CREDIT_CARD>"),
        ("+4111-1111-1111-1111", "+<CREDIT_CARD>"),
        ("pay +4111111111111111 now", "pay +<CREDIT_CARD> now"),
        ("a,+5555555555554444,b", "a,+<CREDIT_CARD>,b"),
    ] {
        assert_eq!(
            redact(&e, text),
            (want.to_string(), vec!["credit_card".to_string()]),
            "{text:?}"
        );
    }
}

#[test]
fn a_card_at_the_head_or_tail_of_a_dashed_run_is_found() {
    let e = engine();
    for (text, want) in [
        ("2024-4111-1111-1111-1111", "2024-<CREDIT_CARD>"),
        ("4111-1111-1111-1111-2024", "<CREDIT_CARD>-2024"),
        ("12-4111111111111111-34", "12-<CREDIT_CARD>-34"),
        ("ref 12-378282246310005", "ref 12-<CREDIT_CARD>"),
    ] {
        assert_eq!(
            redact(&e, text),
            (want.to_string(), vec!["credit_card".to_string()]),
            "{text:?}"
        );
    }
}

#[test]
fn aws_key_ids_between_delimiters_are_masked_exactly() {
    let e = engine();
    let mut failed = Vec::new();
    for key in ["AKIAIOSFODNN7EXAMPLE", "ASIAY34FZKBOKMUTVV7A"] {
        for ctx in [
            "{}",
            "x_{}_y",
            "x_{}",
            "{}_y",
            "AWS_{}_KEY",
            "key={}",
            "aws_access_key_id={}\n",
            "id:{}",
            "id: {}",
            "\"{}\"",
            "'{}'",
            "s3/{}/x",
            "x-{}-y",
            "({})",
            "a,{},b",
        ] {
            let text = ctx.replace("{}", key);
            let want = ctx.replace("{}", "<AWS_ACCESS_KEY_ID>");
            let got = redact(&e, &text);
            if got != (want.clone(), vec!["aws_access_key_id".to_string()]) {
                failed.push(format!("{text:?}: {got:?}, want {want:?}"));
            }
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn near_misses_stay_clean() {
    let e = engine();
    let mut failed = Vec::new();
    for text in [
        // Luhn fails
        "+4111111111111112",
        "(4111111111111112)",
        "ref 12-4111111111111112",
        "a,4111 1111 1111 1112,b",
        "path/4111111111111112",
        "C:\\4111111111111112",
        "4111\u{a0}1111\u{a0}1111\u{a0}1112",
        "2024-4111-1111-1111-1112",
        // long order ids: the card-shaped digits are part of a longer run
        "order 12-41111111111111110000",
        "path/41111111111111110000",
        ",41111111111111110000,",
        "+41111111111111110000",
        "(4111111111111111111111)",
        "4111111111111111111111",
        // glued to a word, or the tail of a dotted or dashed token
        "id4111111111111111",
        "x_4111111111111111",
        "4111111111111111abc",
        "4111111111111111_x",
        "v1.4111111111111111",
        "build-4111111111111111",
        "f(4111111111111111)",
        // a dashed id is one token: no four groups inside it are a card
        "1234-5678-9012-3456-7890",
        "1234-4111-1111-1111-1111-5678",
        // timestamps (epoch seconds to nanoseconds start with 1, no issuer prefix)
        "2024-03-15T10:30:00.123Z",
        "ts=1712345678901234",
        "1712345678901-42",
        "t,1712345678901234567,x",
        "20240315103000",
        // versions, numbers, UUIDs
        "v2.4111.1111.1111",
        "version 1.2.3.4",
        "4,111,111,111,111,111",
        "price $1,299.99",
        "total 1,234,567",
        "v,1.2.3",
        "550e8400-e29b-41d4-a716-446655440000",
        "12345678-1234-1234-1234-123456789012",
        "0.4111111111111111",
        // key-id shapes glued into identifiers that are no key ids
        "x_ASIAPACIFICNORTHEAST_y",
        "CONST_AKIAEXAMPLEKEYNAMESX_Y",
        "x_AKIAIOSFODNN0EXAMPLE_y",
        "x_AKIAIOSFODNN7EXAMPL_y",
        "XAKIAIOSFODNN7EXAMPLE",
        "AKIAIOSFODNN7EXAMPLEX",
        "x_AKIAIOSFODNN7EXAMPLE1_y",
    ] {
        let got = redact(&e, text);
        if got.1 != Vec::<String>::new() {
            failed.push(format!("{text:?}: {got:?}"));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn phones_and_ibans_keep_their_type() {
    let e = engine();
    for (text, want, kind) in [
        ("+1 415 555 2671", "<PHONE>", "phone"),
        ("+14155552671", "<PHONE>", "phone"),
        ("call (415) 555-2671", "call <PHONE>", "phone"),
        ("+44 20 7946 0958", "<PHONE>", "phone"),
        ("+1\u{a0}415\u{a0}555\u{a0}2671", "<PHONE>", "phone"),
        // Luhn-valid with a Visa prefix, and a German mobile number
        ("+4915112345678", "<PHONE>", "phone"),
        ("tel,+4915112345678,", "tel,<PHONE>,", "phone"),
        ("DE89 3704 0044 0532 0130 00", "<IBAN>", "iban"),
        ("to GB82WEST12345698765432.", "to <IBAN>.", "iban"),
        ("ssn 123-45-6789", "ssn <US_SSN>", "us_ssn"),
        // a CSV field after a word is any number
        ("bob,123-45-6789,x", "bob,<US_SSN>,x", "us_ssn"),
        ("bob,415-555-2671", "bob,<PHONE>", "phone"),
    ] {
        assert_eq!(
            redact(&e, text),
            (want.to_string(), vec![kind.to_string()]),
            "{text:?}"
        );
    }
}

/// What `tests/fuzz.rs` found: a finding beside another one, an address in single quotes, a
/// long dashed id. Each is redacted as it would be once its neighbours were markers, so a
/// second pass changes nothing.
#[test]
fn neighbours_of_findings_redact_in_one_pass() {
    let e = engine();
    let pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----";
    let hook = "hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX";
    let cases = [
        ("'a.x@aa.com'", "'<EMAIL>'".to_string()),
        ("{'to': 'bob@example.com'}", "{'to': '<EMAIL>'}".into()),
        ("01 01 01 01 01 01 01 01 01 01", "<PHONE> <PHONE>".into()),
        (
            &*format!("{hook}'bob@example.com"),
            "<SLACK_WEBHOOK>'<EMAIL>".into(),
        ),
        (
            &*format!("0@example.com{pem}"),
            "<EMAIL><PRIVATE_KEY>".into(),
        ),
        (
            &*format!("{pem}sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z"),
            "<PRIVATE_KEY><OPENAI_API_KEY>".into(),
        ),
        (
            "AKIAIOSFODNN7EXAMPLE-4111111111111111",
            "<AWS_ACCESS_KEY_ID>-<CREDIT_CARD>".into(),
        ),
        (
            "Bearer abc123XYZ789abc=bob@example.com",
            "Bearer <BEARER_TOKEN><EMAIL>".into(),
        ),
        (
            &*format!("AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q{pem}"),
            "<GOOGLE_API_KEY><PRIVATE_KEY>".into(),
        ),
        (
            "AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "<AWS_ACCESS_KEY_ID> <AWS_SECRET_ACCESS_KEY>".into(),
        ),
        (
            "4111111111111111-020-7946-0958",
            "<CREDIT_CARD>-<PHONE>".into(),
        ),
        (
            "6502-6502-6502-6502-6502-6502-6502-6502-6502-6502-6502-6502",
            "6502-6502-6502-6502-6502-6502-6502-6502-6502-6502-6502-6502".into(),
        ),
    ];
    for (text, want) in cases {
        let (once, _) = redact(&e, text);
        assert_eq!(once, want, "{text:?}");
        assert_eq!(redact(&e, &once).0, once, "{text:?}: a second pass");
    }
}
