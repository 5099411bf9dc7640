//! Glob patterns, as the processors' configs write them (key and model patterns).

/// Whole-string glob match: `*` matches any run (also empty), `?` one character; every
/// other byte itself (case-sensitive: callers lower-case both sides for the opposite).
/// Backtracks only to the last star, so it is linear in practice and pathological patterns
/// stay cheap.
pub fn glob_match(p: &[u8], s: &[u8]) -> bool {
    // bytes of the UTF-8 character starting at s[i] (1 for anything malformed)
    let width = |i: usize| {
        match s[i] {
            0xf0.. => 4,
            0xe0.. => 3,
            0xc0.. => 2,
            _ => 1,
        }
        .min(s.len() - i)
    };
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() && p[pi] == b'?' {
            pi += 1;
            si += width(si);
        } else if pi < p.len() && p[pi] == s[si] {
            pi += 1;
            si += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, si));
            pi += 1;
        } else if let Some((sp, ss)) = star {
            let next = ss + width(ss);
            pi = sp + 1;
            si = next;
            star = Some((sp, next));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|b| *b == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match(
            b"ft:gpt-4o-mini:acme:*",
            b"ft:gpt-4o-mini:acme:abc123"
        ));
        assert!(glob_match(b"acme-?b", b"acme-7b"));
        assert!(!glob_match(b"acme-?b", b"acme-70b"));
        assert!(glob_match(b"*-instruct", b"llama-3-8b-instruct"));
        assert!(
            !glob_match(b"gpt-4o", b"gpt-4o-mini"),
            "no implicit prefix match"
        );
        assert!(glob_match(b"a*b*c", b"axxbyyc"));
        let long = vec![b'a'; 10_000];
        assert!(
            !glob_match(b"*a*a*a*a*b", &long),
            "pathological pattern finishes"
        );
        assert!(
            glob_match("k?y".as_bytes(), "kéy".as_bytes()),
            "? is one character"
        );
        assert!(!glob_match(b"k??y", "kéy".as_bytes()));
        assert!(glob_match("*é".as_bytes(), "caféé".as_bytes()));
    }
}
