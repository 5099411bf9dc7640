//! PEM private key blocks: `-----BEGIN ... PRIVATE KEY-----` to the matching END line,
//! whole, or to the end of the text when the block is cut off (fail closed).

use memchr::memmem;

use super::ctx::Ctx;
use crate::detectors::Builtin;

impl Ctx<'_, '_> {
    /// `-----BEGIN `; `cov`: where the last block ended (blocks are not scanned twice).
    pub(super) fn private_key(&mut self, p: usize, q: usize, cov: &mut usize) {
        let t = self.t;
        if p < *cov || &t[p..q] != b"-----BEGIN " {
            return;
        }
        if let Some(end) = pem_block(t, q) {
            *cov = end;
            self.hit(p, end, Builtin::PrivateKey);
        }
    }
}

/// After `-----BEGIN LABEL-----` of a private key, the end of its END line; the rest of the
/// text when the block is cut off (fail closed). `None` for certificates and public keys.
fn pem_block(t: &[u8], q: usize) -> Option<usize> {
    let window = &t[q..t.len().min(q + 80)];
    let close = window.windows(5).position(|w| w == b"-----")?;
    let label = &window[..close];
    if !(label.ends_with(b"PRIVATE KEY") || label.ends_with(b"PRIVATE KEY BLOCK"))
        || !label.iter().all(|b| b.is_ascii_uppercase() || *b == b' ')
    {
        return None;
    }
    let body = q + close + 5;
    let mut end_line = Vec::with_capacity(label.len() + 14);
    end_line.extend_from_slice(b"-----END ");
    end_line.extend_from_slice(label);
    end_line.extend_from_slice(b"-----");
    Some(memmem::find(&t[body..], &end_line).map_or(t.len(), |i| body + i + end_line.len()))
}

#[cfg(test)]
mod tests {
    use crate::detectors::Builtin;
    use crate::scan::tests::one;

    #[test]
    fn private_keys() {
        let pem =
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----";
        assert_eq!(
            one(&format!("key:\n{pem}\nend")),
            Some((Builtin::PrivateKey, pem))
        );
        assert_eq!(
            one("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"),
            None
        );
        let cut = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg";
        assert_eq!(one(&format!("x {cut}")), Some((Builtin::PrivateKey, cut)));
    }
}
