//! Identifiers: IBANs (country length table and mod-97, print-format spaces allowed) and US
//! Social Security numbers (`123-45-6789`, SSA issuing rules).

use super::bytes::is_word_at;
use super::groups::Group;
use crate::validate;

/// The end of an IBAN whose country code starts at `s` (print format spaces allowed).
pub(super) fn iban_at(t: &[u8], s: usize) -> Option<usize> {
    if s + 4 > t.len() || !t[s + 2].is_ascii_digit() || !t[s + 3].is_ascii_digit() {
        return None;
    }
    let len = validate::iban_length(&t[s..s + 2])?;
    let mut buf = [0u8; 34];
    buf[..4].copy_from_slice(&t[s..s + 4]);
    let mut count = 4;
    let mut k = s + 4;
    let ok = |b: u8| b.is_ascii_uppercase() || b.is_ascii_digit();
    while count < len {
        if k < t.len() && ok(t[k]) {
            buf[count] = t[k];
            count += 1;
            k += 1;
        } else if k + 1 < t.len() && t[k] == b' ' && ok(t[k + 1]) {
            k += 1;
        } else {
            return None;
        }
    }
    if is_word_at(t, k) || !validate::iban(&buf[..len]) {
        return None;
    }
    Some(k)
}

/// Three groups of 3, 2 and 4 digits joined by one kind of separator (`-` or space) that
/// pass the SSA rules.
pub(super) fn us_ssn(gs: &[Group], digits: &[u8], uniform: bool) -> bool {
    let lens = |i: usize| gs[i].e - gs[i].s;
    gs.len() == 3
        && uniform
        && matches!(gs[1].sep, b'-' | b' ')
        && (lens(0), lens(1), lens(2)) == (3, 2, 4)
        && validate::us_ssn(&digits[..3], &digits[3..5], &digits[5..])
}

#[cfg(test)]
mod tests {
    use crate::detectors::Builtin;
    use crate::scan::tests::one;

    #[test]
    fn ssn_and_iban() {
        assert_eq!(
            one("ssn 123-45-6789"),
            Some((Builtin::UsSsn, "123-45-6789"))
        );
        assert_eq!(one("ssn 666-45-6789"), None);
        assert_eq!(one("ssn 123-00-6789"), None);
        assert_eq!(
            one("IBAN DE89 3704 0044 0532 0130 00 ok"),
            Some((Builtin::Iban, "DE89 3704 0044 0532 0130 00"))
        );
        assert_eq!(
            one("to GB82WEST12345698765432."),
            Some((Builtin::Iban, "GB82WEST12345698765432"))
        );
        assert_eq!(one("to DE88 3704 0044 0532 0130 00"), None);
    }
}
