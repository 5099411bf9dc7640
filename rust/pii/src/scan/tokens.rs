//! Tokens by their shape: JSON Web Tokens (three base64url parts, a JSON header with
//! `"alg"`), and the credentials of `Authorization: Bearer` and `Basic` values (only the
//! credential, not the scheme, is the finding).

use super::bytes::{is_b64, is_b64url, is_word_at, run_end};
use super::ctx::Ctx;
use crate::detectors::Builtin;
use crate::validate;

impl Ctx<'_, '_> {
    /// `eyJ`: a JWT when it starts a token.
    pub(super) fn jwt_at(&mut self, p: usize, q: usize) {
        let t = self.t;
        if &t[p..q] != b"eyJ" || !self.left_ok(p, |b| is_b64url(b) || b == b'.') {
            return;
        }
        self.jwt(p);
    }

    fn jwt(&mut self, p: usize) {
        let t = self.t;
        let mut ends = [0usize; 5];
        let mut n = 0;
        let mut i = p;
        loop {
            let e = run_end(t, i, is_b64url);
            ends[n] = e;
            n += 1;
            // a further part needs a dot; the signature of an unsecured JWT may be empty
            if n == 5 || e >= t.len() || t[e] != b'.' {
                break;
            }
            if n >= 2 && (e + 1 >= t.len() || !is_b64url(t[e + 1])) {
                if n == 2 {
                    ends[n] = e + 1;
                    n += 1;
                }
                break;
            }
            i = e + 1;
        }
        if n < 3 || ends[1] - ends[0] < 2 {
            return;
        }
        if validate::jwt_header(&t[p..ends[0]]) {
            self.hit(p, ends[n - 1], Builtin::Jwt);
        }
    }

    /// The credential after `Bearer` and up to 8 spaces or tabs.
    pub(super) fn bearer_token(&mut self, p: usize, q: usize) {
        let t = self.t;
        if !self.left_ok(p, |b| b.is_ascii_alphanumeric()) {
            return;
        }
        let s = run_end(t, q, |b| b == b' ' || b == b'\t');
        if s == q || s - q > 8 {
            return;
        }
        let e = run_end(t, s, |b| {
            b.is_ascii_alphanumeric() || b"-._~+/".contains(&b)
        });
        let e = run_end(t, e, |b| b == b'=');
        let tok = &t[s..e];
        if tok.len() >= 12 && validate::mixed_classes(tok) && !is_word_at(t, e) {
            self.hit(s, e, Builtin::BearerToken);
        }
    }

    /// The credential after `Basic`: base64 of `user:password`.
    pub(super) fn basic_auth(&mut self, p: usize, q: usize) {
        let t = self.t;
        if !self.left_ok(p, |b| b.is_ascii_alphanumeric()) {
            return;
        }
        let s = run_end(t, q, |b| b == b' ' || b == b'\t');
        if s == q || s - q > 8 {
            return;
        }
        let e = run_end(t, s, is_b64);
        let e = run_end(t, e, |b| b == b'=');
        let tok = &t[s..e];
        if tok.len() >= 8 && !is_word_at(t, e) && validate::basic_credentials(tok) {
            self.hit(s, e, Builtin::BasicAuth);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::detectors::Builtin;
    use crate::scan::tests::{one, scan};

    #[test]
    fn jwt_bearer_basic() {
        let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
        let text = format!("Authorization: Bearer {jwt}");
        let v = scan(&text);
        assert!(
            v.contains(&(Builtin::Jwt, jwt)) && v.contains(&(Builtin::BearerToken, jwt)),
            "{v:?}"
        );
        assert_eq!(one("eyJub3QganNvbg.eyJ4IjoxfQ.abc"), None);
        assert_eq!(
            one("Bearer Ab3dEf6hIj9kLm2nOp"),
            Some((Builtin::BearerToken, "Ab3dEf6hIj9kLm2nOp"))
        );
        assert_eq!(one("bearer authentication is simple"), None);
        assert_eq!(
            one("Basic dXNlcjpwYXNzd29yZA=="),
            Some((Builtin::BasicAuth, "dXNlcjpwYXNzd29yZA=="))
        );
        assert_eq!(one("basic usage of the API"), None);
    }
}
