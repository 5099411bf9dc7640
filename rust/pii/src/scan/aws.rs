//! AWS credentials: access key ids (`AKIA`/`ASIA` + 16) by their prefix, and secret access
//! keys (40 base64 characters) only within a window around an `aws`/`secret` keyword or an
//! access key id, each byte of the text looked at once.

use super::bytes::{is_b64, is_word_at, run_end};
use super::ctx::Ctx;
use crate::detectors::Builtin;

/// How far from an `aws`/`secret` keyword an AWS secret access key is looked for.
const AWS_BEFORE: usize = 96;
const AWS_AFTER: usize = 160;

/// Where AWS secret access keys were looked for: `lo..hi`, and everything before `prev_hi`
/// that any window reached.
#[derive(Default)]
pub(super) struct Scanned {
    lo: usize,
    hi: usize,
    prev_hi: usize,
}

impl Ctx<'_, '_> {
    /// `AKIA`/`ASIA` + 16 upper-case letters or digits; then the secret keys near it.
    pub(super) fn aws_access_key_id(&mut self, p: usize, q: usize, cov: &mut Scanned) {
        let t = self.t;
        let alnum = |b: u8| b.is_ascii_alphanumeric();
        if !matches!(&t[p..q], b"AKIA" | b"ASIA") || !self.left_ok(p, alnum) {
            return;
        }
        let end = q + 16;
        if end > t.len()
            || !t[q..end]
                .iter()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            || (is_word_at(t, end) && t[end] != b'_')
        {
            return;
        }
        // glued into an identifier by `_` (`x_AKIA..._y`), it must look like a key
        // id, base32 with a digit, and not like a constant (`ASIAPACIFICNORTHEAST`)
        let glued = (p > 0 && t[p - 1] == b'_') || (end < t.len() && t[end] == b'_');
        if glued
            && !(t[q..end].iter().any(|b| (b'2'..=b'7').contains(b))
                && t[q..end].iter().all(|b| !b"0189".contains(b)))
        {
            return;
        }
        self.hit(p, end, Builtin::AwsAccessKeyId);
        self.aws_near(p, end, true, cov);
    }

    /// Looks for AWS secret access keys from `AWS_BEFORE` bytes before `p` to `AWS_AFTER`
    /// after `q`: an `aws`/`secret` keyword, or an AWS key (`found`), whose marker
    /// (`<AWS_ACCESS_KEY_ID>`) will be a keyword in the redacted text. A secret key found is
    /// such a key in turn. Every byte is looked at once.
    pub(super) fn aws_near(&mut self, p: usize, q: usize, found: bool, cov: &mut Scanned) {
        if !self.on[Builtin::AwsSecretAccessKey as usize] {
            return;
        }
        let len = self.t.len();
        let from = p.saturating_sub(AWS_BEFORE);
        if from > cov.hi {
            cov.prev_hi = cov.hi;
            cov.lo = from;
            cov.hi = from;
        }
        // a marker is shorter than its key: its keyword reaches further in the original
        let reach = |e: usize| (e + AWS_AFTER + 32).min(len);
        let mut to = if found {
            reach(q)
        } else {
            (q + AWS_AFTER).min(len)
        };
        while cov.hi < to {
            let (first, last) = self.aws_secrets(cov.hi, to);
            cov.hi = to;
            if let Some(e) = last {
                to = to.max(reach(e));
            }
            let mut first = first;
            while let Some(s) = first {
                let back = s.saturating_sub(AWS_BEFORE).max(cov.prev_hi);
                if back >= cov.lo {
                    break;
                }
                first = self.aws_secrets(back, cov.lo).0;
                cov.lo = back;
            }
        }
    }

    /// 40-character base64 tokens starting in `from..to` (AWS secret access keys), not glued
    /// to an identifier (`_`, `-`) or followed by padding. Returns where the first found
    /// starts and the last ends.
    fn aws_secrets(&mut self, from: usize, to: usize) -> (Option<usize>, Option<usize>) {
        let t = self.t;
        let (mut first, mut last) = (None, None);
        let mut i = from;
        while i < to {
            if !is_b64(t[i]) {
                i += 1;
                continue;
            }
            let e = run_end(t, i, is_b64);
            if e - i == 40
                && self.left_ok(i, |b| is_b64(b) || b == b'_' || b == b'-')
                && !(e < t.len() && matches!(t[e], b'_' | b'-' | b'='))
            {
                let tok = &t[i..e];
                if tok.iter().any(u8::is_ascii_uppercase) && tok.iter().any(u8::is_ascii_lowercase)
                {
                    self.hit(i, e, Builtin::AwsSecretAccessKey);
                    first = first.or(Some(i));
                    last = Some(e);
                }
            }
            i = e;
        }
        (first, last)
    }
}

#[cfg(test)]
mod tests {
    use crate::detectors::Builtin;
    use crate::scan::tests::one;

    #[test]
    fn aws_keys() {
        assert_eq!(
            one("AKIAIOSFODNN7EXAMPLE"),
            Some((Builtin::AwsAccessKeyId, "AKIAIOSFODNN7EXAMPLE"))
        );
        assert_eq!(one("XAKIAIOSFODNN7EXAMPLE"), None);
        let s = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        assert_eq!(
            one(&format!("aws_secret_access_key = {s}")),
            Some((Builtin::AwsSecretAccessKey, s))
        );
        assert_eq!(one(&format!("unrelated {s}")), None);
    }
}
