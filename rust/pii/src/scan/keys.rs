//! API keys and tokens recognized by their prefix: OpenAI, Anthropic, Stripe, GitHub, GitLab,
//! Slack (tokens and incoming webhooks) and Google. The AWS ones are in [`super::aws`].

use super::bytes::{is_key_char, is_word, is_word_at, run_end, trim_end};
use super::ctx::Ctx;
use crate::detectors::Builtin;
use crate::validate;

impl Ctx<'_, '_> {
    /// `sk-...` (OpenAI) and `sk-ant-...` (Anthropic).
    pub(super) fn openai_or_anthropic_key(&mut self, p: usize, q: usize) {
        let t = self.t;
        if &t[p..q] != b"sk-" || !self.left_ok(p, is_key_char) {
            return;
        }
        if t[q..].starts_with(b"ant-") {
            let end = run_end(t, q + 4, is_key_char);
            let body = &t[q + 4..end];
            if body.len() >= 20 && validate::mixed_classes(body) {
                self.hit(p, end, Builtin::AnthropicApiKey);
            }
        } else {
            let end = run_end(t, q, is_key_char);
            let body = &t[q..end];
            if body.len() >= 20 && validate::mixed_classes(body) {
                self.hit(p, end, Builtin::OpenaiApiKey);
            }
        }
    }

    /// `sk_live_`, `sk_test_`, `rk_live_`, `rk_test_` (Stripe).
    pub(super) fn stripe_key(&mut self, p: usize, q: usize) {
        let t = self.t;
        if !matches!(&t[p..q], b"sk_" | b"rk_") || !self.left_ok(p, is_word) {
            return;
        }
        let rest = &t[q..];
        if !(rest.starts_with(b"live_") || rest.starts_with(b"test_")) {
            return;
        }
        let end = run_end(t, q + 5, |b| b.is_ascii_alphanumeric());
        let body = &t[q + 5..end];
        if body.len() >= 16 && validate::mixed_classes(body) && !is_word_at(t, end) {
            self.hit(p, end, Builtin::StripeKey);
        }
    }

    /// `ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` (GitHub).
    pub(super) fn github_classic_token(&mut self, p: usize, q: usize) {
        let t = self.t;
        if t[p..q].iter().any(u8::is_ascii_uppercase) || !self.left_ok(p, is_word) {
            return;
        }
        let end = run_end(t, q, |b| b.is_ascii_alphanumeric());
        let body = &t[q..end];
        if body.len() >= 30 && validate::mixed_classes(body) && !is_word_at(t, end) {
            self.hit(p, end, Builtin::GithubToken);
        }
    }

    /// `github_pat_` (GitHub fine-grained tokens).
    pub(super) fn github_pat(&mut self, p: usize, q: usize) {
        let t = self.t;
        if &t[p..q] != b"github_pat_" || !self.left_ok(p, is_word) {
            return;
        }
        let end = run_end(t, q, is_word);
        let body = &t[q..end];
        if body.len() >= 22 && validate::mixed_classes(body) {
            self.hit(p, end, Builtin::GithubToken);
        }
    }

    /// `glpat-` (GitLab).
    pub(super) fn gitlab_token(&mut self, p: usize, q: usize) {
        let t = self.t;
        if &t[p..q] != b"glpat-" || !self.left_ok(p, is_key_char) {
            return;
        }
        let end = run_end(t, q, |b| is_key_char(b) || b == b'.');
        let end = trim_end(t, q, end, b'.');
        let body = &t[q..end];
        if body.len() >= 20 && validate::mixed_classes(body) {
            self.hit(p, end, Builtin::GitlabToken);
        }
    }

    /// `xoxa-`, `xoxb-`, `xoxp-`, `xoxr-`, `xoxs-` (Slack).
    pub(super) fn slack_token(&mut self, p: usize, q: usize) {
        let t = self.t;
        if &t[p..q] != b"xox" || !self.left_ok(p, is_key_char) {
            return;
        }
        if q + 2 > t.len() || !b"abprs".contains(&t[q]) || t[q + 1] != b'-' {
            return;
        }
        let end = run_end(t, q + 2, |b| b.is_ascii_alphanumeric() || b == b'-');
        let body = &t[q + 2..end];
        if body.len() >= 10 && body.iter().any(u8::is_ascii_digit) {
            self.hit(p, end, Builtin::SlackToken);
        }
    }

    /// `hooks.slack.com/services/...` (with its scheme when written), whole.
    pub(super) fn slack_webhook(&mut self, p: usize, q: usize) {
        let t = self.t;
        let rest = &t[q..];
        let kind = [&b"services/"[..], b"workflows/", b"triggers/"]
            .into_iter()
            .find(|k| rest.starts_with(k));
        let Some(kind) = kind else { return };
        let path = q + kind.len();
        let end = run_end(t, path, |b| is_key_char(b) || b == b'/');
        if end - path < 20 {
            return;
        }
        let start = [&b"https://"[..], b"http://"]
            .into_iter()
            .find(|s| t[..p].ends_with(s))
            .map_or(p, |s| p - s.len());
        self.hit(start, end, Builtin::SlackWebhook);
    }

    /// `AIza` + 35 characters (Google).
    pub(super) fn google_api_key(&mut self, p: usize, q: usize) {
        let t = self.t;
        if &t[p..q] != b"AIza" || !self.left_ok(p, is_key_char) {
            return;
        }
        let end = run_end(t, q, is_key_char);
        if end - q == 35 {
            self.hit(p, end, Builtin::GoogleApiKey);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::detectors::Builtin;
    use crate::scan::tests::one;

    #[test]
    fn api_keys_and_tokens() {
        let k = "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z";
        assert_eq!(one(&format!("key={k}")), Some((Builtin::OpenaiApiKey, k)));
        let a = "sk-ant-api03-Zx9yW8vU7tS6rQ5pO4nM3lK2jI1hG0fE";
        assert_eq!(
            one(&format!("\"{a}\"")),
            Some((Builtin::AnthropicApiKey, a))
        );
        assert_eq!(one("sk-this-is-not-a-real-key-at-all"), None);
        assert_eq!(one("task-sk-Ab3dEf6hIj9kLm2nOp5qRs8tUv1"), None);
        let g = "ghp_1234567890abcdefghijABCDEFGHIJ123456";
        assert_eq!(one(g), Some((Builtin::GithubToken, g)));
        let g = "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
        assert_eq!(one(g), Some((Builtin::GithubToken, g)));
        assert_eq!(
            one("glpat-Ab12Cd34Ef56Gh78Ij90"),
            Some((Builtin::GitlabToken, "glpat-Ab12Cd34Ef56Gh78Ij90"))
        );
        let x = "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx";
        assert_eq!(one(x), Some((Builtin::SlackToken, x)));
        let h = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX";
        assert_eq!(
            one(&format!("post to {h} now")),
            Some((Builtin::SlackWebhook, h))
        );
        let st = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
        assert_eq!(one(st), Some((Builtin::StripeKey, st)));
        let gk = "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q";
        assert_eq!(one(gk), Some((Builtin::GoogleApiKey, gk)));
        assert_eq!(one("AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7"), None);
    }
}
