//! The fast counter ([`count::text`]: own pre-tokenizer, token lookup, run program, piece
//! cache) equals the reference ([`count::reference_text`]: bpe-openai alone) on generated
//! text, and its pieces equal bpe-openai's regex split.
//!
//! Each property runs 256 cases by default (64 for the long runs). To run longer (failures
//! are shrunk and saved in `tests/fast_count.proptest-regressions`, replayed first on every
//! run):
//!
//! ```sh
//! PROPTEST_CASES=20000 cargo test -p llmo-tokens --test fast_count --release
//! ```

use llmo_tokens::count;
use llmo_tokens::model_map::Encoding;
use llmo_tokens::pretok;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

const ENCODINGS: [Encoding; 2] = [Encoding::O200kBase, Encoding::Cl100kBase];

fn oracle(enc: Encoding) -> &'static bpe_openai::Tokenizer {
    match enc {
        Encoding::O200kBase => bpe_openai::o200k_base(),
        Encoding::Cl100kBase => bpe_openai::cl100k_base(),
    }
}

/// Pieces and count equal the reference's, for both encodings.
fn check(text: &str) -> Result<(), TestCaseError> {
    for enc in ENCODINGS {
        let ours: Vec<&str> = pretok::split(enc, text).unwrap().collect();
        let theirs: Vec<&str> = oracle(enc).split(text).collect();
        if ours != theirs {
            let at = ours.iter().zip(&theirs).take_while(|(a, b)| a == b).count();
            return Err(TestCaseError::fail(format!(
                "{enc:?} split differs at piece {at}: {:?} vs {:?}",
                ours.get(at),
                theirs.get(at)
            )));
        }
        prop_assert_eq!(
            count::text(&enc, text),
            count::reference_text(enc, text),
            "{:?}",
            enc
        );
    }
    Ok(())
}

/// Characters from every class the patterns tell apart, and the ones easy to get wrong.
const CHARS: &[&str] = &[
    // ASCII letters, digits, punctuation, controls, whitespace
    "a",
    "Z",
    "q",
    "0",
    "7",
    "!",
    ".",
    "/",
    "-",
    "_",
    "\"",
    "#",
    "(",
    "\0",
    "\u{1}",
    "\u{7f}",
    " ",
    "  ",
    "\t",
    "\n",
    "\r",
    "\r\n",
    "\u{b}",
    "\u{c}",
    // Lu, Ll, Lt, Lm, Lo in several scripts
    "É",
    "é",
    "ß",
    "Ω",
    "ω",
    "Ж",
    "ж",
    "ǅ",
    "ᾈ",
    "ʰ",
    "ー",
    "々",
    "中",
    "的",
    "あ",
    "ア",
    "가",
    "ا",
    "א",
    "ก",
    "ᄀ",
    "ꦄ",
    // marks: Mn, Mc, Me, variation selector, combining after a space
    "\u{301}",
    "\u{308}",
    "\u{93f}",
    "\u{94d}",
    "\u{20dd}",
    "\u{fe0f}",
    " \u{301}",
    // numbers: Nd beyond ASCII, Nl, No
    "٣",
    "४",
    "０",
    "Ⅻ",
    "〇",
    "½",
    "²",
    "①",
    // White_Space beyond ASCII, and look-alikes that are not
    "\u{85}",
    "\u{a0}",
    "\u{1680}",
    "\u{2003}",
    "\u{2009}",
    "\u{2028}",
    "\u{2029}",
    "\u{202f}",
    "\u{205f}",
    "\u{3000}",
    "\u{200b}",
    "\u{feff}",
    "\u{180e}",
    // apostrophes and contraction letters, with case folding's extra members
    "'",
    "\u{2019}",
    "'s",
    "'S",
    "'t",
    "'re",
    "'RE",
    "'ve",
    "'m",
    "'ll",
    "'LL",
    "'d",
    "'D",
    "'ſ",
    "ſ",
    "\u{212a}",
    // symbols, emoji (with modifiers, ZWJ, flags, keycaps), private use, unassigned
    "€",
    "©",
    "∑",
    "😀",
    "🙂",
    "👍🏽",
    "👨\u{200d}👩\u{200d}👧",
    "🇫🇷",
    "1\u{fe0f}\u{20e3}",
    "\u{e000}",
    "\u{10fffd}",
    "\u{378}",
    "\u{ffff}",
];

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => select(CHARS).prop_map(String::from),
        3 => any::<char>().prop_map(String::from),
        3 => "[a-zA-Z]{1,12}",
        1 => "[0-9]{1,12}",
        1 => "[ \t\r\n]{1,12}",
        1 => (select(CHARS), 2..40usize).prop_map(|(c, n)| c.repeat(n)),
        1 => vec(any::<char>(), 1..8).prop_map(|v| v.into_iter().collect()),
    ]
}

fn any_text() -> impl Strategy<Value = String> {
    vec(fragment(), 0..60).prop_map(|v| v.concat())
}

/// Units whose long runs take the run program (and some that stay with bpe).
const UNITS: &[&str] = &[
    " ", "\t", "\n", "-", "=", "#", "*", ".", "a", "A", "0", "\r\n", "ab", " \n", "的", "🙂", "ー",
    "é", "\u{301}", "\u{a0}", "\u{3000}", "-=", "abc", "xyz ",
];

fn run_text() -> impl Strategy<Value = String> {
    let segment = (select(UNITS), 1..3000usize, vec(fragment(), 0..3))
        .prop_map(|(unit, n, junk)| unit.repeat(n) + &junk.concat());
    vec(segment, 1..5).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn any_text_splits_and_counts_as_the_reference(text in any_text()) {
        check(&text)?;
    }
}

/// A quarter of the cases of the other properties (`PROPTEST_CASES`, default 256).
fn run_cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
        .map_or(64, |n| (n / 4).max(1))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(run_cases()))]
    #[test]
    fn long_runs_count_as_the_reference(text in run_text()) {
        check(&text)?;
    }
}

/// A small seeded generator (xorshift64*): the corpus is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

const WORDS: &[&str] = &[
    "the",
    "The",
    "THE",
    "of",
    "and",
    "token",
    "Tokens",
    "OpenTelemetry",
    "span",
    "naïve",
    "café",
    "straße",
    "Ελληνικά",
    "русский",
    "日本語",
    "中文",
    "한국어",
    "العربية",
    "עברית",
    "हिन्दी",
    "ไทย",
    "don't",
    "We'LL",
    "it's",
    "I'm",
    "they've",
    "x",
    "fn",
    "let",
    "{",
    "}",
    "=>",
    "::",
    "//",
    "/*",
    "*/",
    "();",
    "[]",
    "\"key\":",
    "0x1F",
    "3.14159",
    "1,000,000",
    "2024-06-01T12:00:00Z",
    "https://example.com/a/b?c=d",
    "user@example.com",
    "🙂",
    "👍🏽",
    "🇫🇷",
    "½",
    "Ⅻ",
    "٣٤٥",
    "ǅemal",
    "ʰello",
    "ーー",
    "々",
    "e\u{301}",
    "\u{a0}",
    "\u{3000}",
];

fn corpus(seed: u64, bytes: usize) -> String {
    let mut r = Rng(seed);
    let mut s = String::with_capacity(bytes + 4096);
    while s.len() < bytes {
        match r.below(20) {
            0..=9 => {
                s.push_str(r.pick(&[" ", " ", " ", "", "\n", "\t", "  ", ", ", ". "]));
                s.push_str(r.pick(WORDS));
            }
            10..=11 => s.push_str(r.pick(CHARS)),
            12 => {
                if let Some(c) = char::from_u32(r.below(0x11_0000) as u32) {
                    s.push(c);
                }
            }
            13 => {
                let n = r.below(40);
                s.push_str(&r.pick(&[" ", "\t", "\n", "\r\n", " \n"]).repeat(n));
            }
            14 => s.push_str(&r.below(1 << 30).to_string()),
            15 => {
                let long = r.below(8) == 0;
                let n = 1 + r.below(if long { 3000 } else { 60 });
                s.push_str(&r.pick(UNITS).repeat(n));
            }
            16 => s.push_str(r.pick(&["'s", "'S", "'ll", "'Re", "'ſ", "’s", "'x"])),
            _ => {
                s.push('\n');
                s.push_str(&" ".repeat(r.below(17)));
            }
        }
    }
    s
}

#[test]
fn a_generated_corpus_counts_as_the_reference() {
    let text = corpus(0x005E_ED0F_70CE, 1 << 20);
    for enc in ENCODINGS {
        let ours: Vec<&str> = pretok::split(enc, &text).unwrap().collect();
        let theirs: Vec<&str> = oracle(enc).split(&text).collect();
        assert!(ours == theirs, "{enc:?}: the split differs");
        // Whole, and in slices (so the piece cache sees pieces again).
        assert_eq!(
            count::text(&enc, &text),
            count::reference_text(enc, &text),
            "{enc:?}"
        );
        let mut at = 0;
        while at < text.len() {
            let mut end = (at + 4096).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            let slice = &text[at..end];
            assert_eq!(
                count::text(&enc, slice),
                count::reference_text(enc, slice),
                "{enc:?} at {at}"
            );
            at = end;
        }
    }
}

#[test]
fn worst_cases_count_as_the_reference() {
    let mut cases = Vec::new();
    for unit in UNITS {
        // Around the thresholds: the longest run inside a token (tabs 10, dashes 112), the
        // byte-run minimum (32), the longest token (128), the unit-run minimum (2048).
        for n in [11, 33, 113, 129, 700, 2049, 6000] {
            let run = unit.repeat(n);
            cases.push(run.clone());
            for (head, tail) in [("x", "\n"), ("\n", " z"), ("'", "'s")] {
                cases.push(format!("{head}{run}{tail}"));
            }
        }
    }
    cases.push(" ".repeat(1 << 18));
    cases.push("\t".repeat(1 << 18));
    cases.push("-".repeat(20_000) + "\n" + &"\t".repeat(100_000) + "\n" + &"的".repeat(5000));
    for text in &cases {
        for enc in ENCODINGS {
            assert_eq!(
                count::text(&enc, text),
                count::reference_text(enc, text),
                "{enc:?} {:?}",
                text.get(..40)
            );
        }
    }
}
