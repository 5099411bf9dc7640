//! The literal anchors: one Aho-Corasick pass over the prefixes of credentials and the other
//! keywords, each match handed to the scanner of its family; and the second look at the
//! anchors that made no finding, once every finding is known.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use super::aws::Scanned;
use super::ctx::{Ctx, Made, MAX_SECOND_LOOKS};
use crate::detectors::Builtin;

/// Literal anchors found by the Aho-Corasick pass. The automaton is case-sensitive so that
/// its SIMD prefilter (Teddy) works; the keywords people write in several cases are listed in
/// each of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Trigger {
    SkDash,
    StripeSk,
    StripeRk,
    AwsKeyId,
    GithubClassic,
    GithubPat,
    Gitlab,
    Slack,
    SlackHook,
    Google,
    Jwt,
    Pem,
    Scheme,
    Bearer,
    Basic,
    AwsKeyword,
}

const TRIGGERS: &[(&str, Trigger, &[Builtin])] = &[
    (
        "sk-",
        Trigger::SkDash,
        &[Builtin::OpenaiApiKey, Builtin::AnthropicApiKey],
    ),
    ("sk_", Trigger::StripeSk, &[Builtin::StripeKey]),
    ("rk_", Trigger::StripeRk, &[Builtin::StripeKey]),
    ("AKIA", Trigger::AwsKeyId, &[Builtin::AwsAccessKeyId]),
    ("ASIA", Trigger::AwsKeyId, &[Builtin::AwsAccessKeyId]),
    ("ghp_", Trigger::GithubClassic, &[Builtin::GithubToken]),
    ("gho_", Trigger::GithubClassic, &[Builtin::GithubToken]),
    ("ghu_", Trigger::GithubClassic, &[Builtin::GithubToken]),
    ("ghs_", Trigger::GithubClassic, &[Builtin::GithubToken]),
    ("ghr_", Trigger::GithubClassic, &[Builtin::GithubToken]),
    ("github_pat_", Trigger::GithubPat, &[Builtin::GithubToken]),
    ("glpat-", Trigger::Gitlab, &[Builtin::GitlabToken]),
    ("xox", Trigger::Slack, &[Builtin::SlackToken]),
    (
        "hooks.slack.com/",
        Trigger::SlackHook,
        &[Builtin::SlackWebhook],
    ),
    ("AIza", Trigger::Google, &[Builtin::GoogleApiKey]),
    ("eyJ", Trigger::Jwt, &[Builtin::Jwt]),
    ("-----BEGIN ", Trigger::Pem, &[Builtin::PrivateKey]),
    ("://", Trigger::Scheme, &[Builtin::UrlPassword]),
    ("Bearer", Trigger::Bearer, &[Builtin::BearerToken]),
    ("bearer", Trigger::Bearer, &[Builtin::BearerToken]),
    ("BEARER", Trigger::Bearer, &[Builtin::BearerToken]),
    ("Basic", Trigger::Basic, &[Builtin::BasicAuth]),
    ("basic", Trigger::Basic, &[Builtin::BasicAuth]),
    ("BASIC", Trigger::Basic, &[Builtin::BasicAuth]),
    ("aws", Trigger::AwsKeyword, &[Builtin::AwsSecretAccessKey]),
    ("AWS", Trigger::AwsKeyword, &[Builtin::AwsSecretAccessKey]),
    ("Aws", Trigger::AwsKeyword, &[Builtin::AwsSecretAccessKey]),
    (
        "secret",
        Trigger::AwsKeyword,
        &[Builtin::AwsSecretAccessKey],
    ),
    (
        "Secret",
        Trigger::AwsKeyword,
        &[Builtin::AwsSecretAccessKey],
    ),
    (
        "SECRET",
        Trigger::AwsKeyword,
        &[Builtin::AwsSecretAccessKey],
    ),
];

/// The shortest text a literal anchor can turn into a finding, except a URL password
/// (`a://:x@`): `Basic ` and eight base64 characters. Shorter strings (the keys and roles of
/// message JSON) skip the automaton unless they hold a `:`.
pub(super) const MIN_LITERAL_TEXT: usize = 14;

/// The automaton over the anchors of the enabled detectors, and the trigger of each pattern.
#[derive(Debug, Clone)]
pub(super) struct Literals {
    ac: AhoCorasick,
    kinds: Vec<Trigger>,
}

impl Literals {
    /// `None` when no enabled detector has a literal anchor.
    pub(super) fn new(on: &[bool; Builtin::ALL.len()]) -> Option<Literals> {
        let mut pats = Vec::new();
        let mut kinds = Vec::new();
        for (lit, trig, users) in TRIGGERS {
            if users.iter().any(|b| on[*b as usize]) {
                pats.push(*lit);
                kinds.push(*trig);
            }
        }
        (!pats.is_empty()).then(|| {
            let ac = AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostFirst)
                .kind(Some(AhoCorasickKind::DFA))
                .build(&pats)
                .expect("literal anchors compile");
            Literals { ac, kinds }
        })
    }
}

impl Trigger {
    /// The anchor starts a token that a later finding can end: in the redacted text its
    /// marker (`<...>`) ends the token, so the second look cuts the text there.
    fn token(self) -> bool {
        !matches!(self, Trigger::Pem | Trigger::AwsKeyword)
    }
}

/// What the anchors of one text leave for the later ones: where earlier anchors of the same
/// kind already looked, so overlapping windows and unterminated blocks are not scanned twice,
/// and the anchors that made no finding, for a second look.
#[derive(Default)]
pub(super) struct Covered {
    pem: usize,
    aws: Scanned,
    missed: Vec<(Trigger, usize, usize)>,
}

impl<'t> Ctx<'t, '_> {
    /// Hands every literal anchor in the text to its scanner; the anchors of tokens that made
    /// no finding are kept for [`Ctx::second_look`].
    pub(super) fn literals(&mut self, lits: &Literals, cov: &mut Covered) {
        let t = self.t;
        if t.len() >= MIN_LITERAL_TEXT || memchr::memchr(b':', t).is_some() {
            for m in lits.ac.find_iter(t) {
                let (trig, p, q) = (lits.kinds[m.pattern().as_usize()], m.start(), m.end());
                let n = self.out.len();
                self.literal(trig, p, q, cov);
                if self.out.len() == n && trig.token() && cov.missed.len() < MAX_SECOND_LOOKS {
                    cov.missed.push((trig, p, q));
                }
            }
        }
    }

    /// Looks again at the literal anchors that made no finding, with the text cut where the
    /// next finding starts: `AIza...-<PRIVATE_KEY>`, `Bearer abc123XYZ=<GITHUB_TOKEN>` are
    /// what the redacted text holds, and redacting it again must find nothing new.
    pub(super) fn second_look(&mut self, cov: &mut Covered) {
        if cov.missed.is_empty() || self.out.is_empty() {
            return;
        }
        let made = Made::new(self.out);
        let whole: &'t [u8] = self.t;
        for (trig, p, q) in std::mem::take(&mut cov.missed) {
            let cut = made.ceiling(q);
            if cut < whole.len() {
                self.t = &whole[..cut];
                self.literal(trig, p, q, cov);
            }
        }
        self.t = whole;
    }

    /// Hands the anchor at `p..q` to the scanner of its family.
    fn literal(&mut self, trig: Trigger, p: usize, q: usize, cov: &mut Covered) {
        match trig {
            Trigger::SkDash => self.openai_or_anthropic_key(p, q),
            Trigger::StripeSk | Trigger::StripeRk => self.stripe_key(p, q),
            Trigger::AwsKeyId => self.aws_access_key_id(p, q, &mut cov.aws),
            Trigger::GithubClassic => self.github_classic_token(p, q),
            Trigger::GithubPat => self.github_pat(p, q),
            Trigger::Gitlab => self.gitlab_token(p, q),
            Trigger::Slack => self.slack_token(p, q),
            Trigger::SlackHook => self.slack_webhook(p, q),
            Trigger::Google => self.google_api_key(p, q),
            Trigger::Jwt => self.jwt_at(p, q),
            Trigger::Pem => self.private_key(p, q, &mut cov.pem),
            Trigger::Scheme => self.url_password(p),
            Trigger::Bearer => self.bearer_token(p, q),
            Trigger::Basic => self.basic_auth(p, q),
            Trigger::AwsKeyword => self.aws_near(p, q, false, &mut cov.aws),
        }
    }
}
