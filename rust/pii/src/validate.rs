//! Validators: the checks that turn a pattern-shaped candidate into a finding.
//!
//! Every detector finds candidates cheaply and then asks one of these whether the candidate is
//! real: Luhn and issuer ranges for cards, the country length table and mod-97 for IBANs,
//! country codes and NANP numbering rules for phones, the SSA rules for SSNs, `std::net` for
//! IP addresses, a JSON header with `"alg"` for JWTs. They take digits or ASCII bytes and
//! never allocate on the hot path.

use std::net::{Ipv4Addr, Ipv6Addr};

/// True when `digits` (ASCII `0`-`9` only) passes the Luhn checksum.
pub fn luhn(digits: &[u8]) -> bool {
    if digits.is_empty() {
        return false;
    }
    let mut sum = 0u32;
    for (i, d) in digits.iter().rev().enumerate() {
        let mut v = u32::from(d - b'0');
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum % 10 == 0
}

/// Card brands this crate recognizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardBrand {
    /// Visa: 4, 13/16/19 digits.
    Visa,
    /// Mastercard: 51-55 and 2221-2720, 16 digits.
    Mastercard,
    /// American Express: 34, 37, 15 digits.
    Amex,
    /// Discover: 6011, 644-649, 65, 622126-622925, 16-19 digits.
    Discover,
    /// JCB: 35 (3528-3589 assigned), 16-19 digits; legacy 1800 and 2131, 15 digits.
    Jcb,
    /// Diners Club: 300-305, 3095, 36, 38, 39, 14-19 digits.
    Diners,
    /// Maestro: 5018, 5020, 5038, 5893, 6304, 6759, 6761-6763, 12-19 digits.
    Maestro,
}

fn prefix_num(digits: &[u8], n: usize) -> u32 {
    digits[..n]
        .iter()
        .fold(0, |acc, d| acc * 10 + u32::from(d - b'0'))
}

/// The brand of a card number (digits only) if its issuer prefix and length agree and the
/// Luhn checksum passes.
pub fn card_brand(digits: &[u8]) -> Option<CardBrand> {
    let len = digits.len();
    if !(12..=19).contains(&len) || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let p2 = prefix_num(digits, 2);
    let p3 = prefix_num(digits, 3);
    let p4 = prefix_num(digits, 4);
    let p6 = prefix_num(digits, 6);
    let brand = if matches!(
        p4,
        5018 | 5020 | 5038 | 5893 | 6304 | 6759 | 6761 | 6762 | 6763
    ) {
        // Maestro: 12 to 19 digits, its own IINs (the wider 56-58 and 63-67 ranges only
        // where the text says it is a card)
        CardBrand::Maestro
    } else if len == 12 {
        return None;
    } else if digits[0] == b'4' && matches!(len, 13 | 16 | 19) {
        CardBrand::Visa
    } else if ((51..=55).contains(&p2) || (2221..=2720).contains(&p4)) && len == 16 {
        CardBrand::Mastercard
    } else if (p2 == 34 || p2 == 37) && len == 15 {
        CardBrand::Amex
    } else if (p4 == 6011
        || (644..=649).contains(&p3)
        || p2 == 65
        || (622126..=622925).contains(&p6))
        && (16..=19).contains(&len)
    {
        CardBrand::Discover
    } else if (p2 == 35 && (16..=19).contains(&len)) || ((p4 == 1800 || p4 == 2131) && len == 15) {
        // JCB's range is 3528-3589, but numbers across all of 35xx are printed as JCB
        // (test data, co-branded ranges): redacting a Luhn-valid 35xx number costs nothing
        CardBrand::Jcb
    } else if ((300..=305).contains(&p3) || p4 == 3095 || p2 == 36 || p2 == 38 || p2 == 39)
        && (14..=19).contains(&len)
    {
        CardBrand::Diners
    } else {
        return None;
    };
    luhn(digits).then_some(brand)
}

/// IBAN length by country (ISO 13616 registry).
const IBAN_LENGTHS: &[(&[u8; 2], u8)] = &[
    (b"AD", 24),
    (b"AE", 23),
    (b"AL", 28),
    (b"AT", 20),
    (b"AZ", 28),
    (b"BA", 20),
    (b"BE", 16),
    (b"BG", 22),
    (b"BH", 22),
    (b"BI", 27),
    (b"BR", 29),
    (b"BY", 28),
    (b"CH", 21),
    (b"CR", 22),
    (b"CY", 28),
    (b"CZ", 24),
    (b"DE", 22),
    (b"DJ", 27),
    (b"DK", 18),
    (b"DO", 28),
    (b"EE", 20),
    (b"EG", 29),
    (b"ES", 24),
    (b"FI", 18),
    (b"FK", 18),
    (b"FO", 18),
    (b"FR", 27),
    (b"GB", 22),
    (b"GE", 22),
    (b"GI", 23),
    (b"GL", 18),
    (b"GR", 27),
    (b"GT", 28),
    (b"HN", 28),
    (b"HR", 21),
    (b"HU", 28),
    (b"IE", 22),
    (b"IL", 23),
    (b"IQ", 23),
    (b"IS", 26),
    (b"IT", 27),
    (b"JO", 30),
    (b"KW", 30),
    (b"KZ", 20),
    (b"LB", 28),
    (b"LC", 32),
    (b"LI", 21),
    (b"LT", 20),
    (b"LU", 20),
    (b"LV", 21),
    (b"LY", 25),
    (b"MC", 27),
    (b"MD", 24),
    (b"ME", 22),
    (b"MK", 19),
    (b"MN", 20),
    (b"MR", 27),
    (b"MT", 31),
    (b"MU", 30),
    (b"NI", 28),
    (b"NL", 18),
    (b"NO", 15),
    (b"OM", 23),
    (b"PK", 24),
    (b"PL", 28),
    (b"PS", 29),
    (b"PT", 25),
    (b"QA", 29),
    (b"RO", 24),
    (b"RS", 22),
    (b"RU", 33),
    (b"SA", 24),
    (b"SC", 31),
    (b"SD", 18),
    (b"SE", 24),
    (b"SI", 19),
    (b"SK", 24),
    (b"SM", 27),
    (b"SO", 23),
    (b"ST", 25),
    (b"SV", 28),
    (b"TL", 23),
    (b"TN", 24),
    (b"TR", 26),
    (b"UA", 29),
    (b"VA", 22),
    (b"VG", 24),
    (b"XK", 20),
    (b"YE", 30),
];

/// The IBAN length of a country (two upper-case letters), if it issues IBANs.
pub fn iban_length(country: &[u8]) -> Option<usize> {
    IBAN_LENGTHS
        .iter()
        .find(|(c, _)| c.as_slice() == country)
        .map(|(_, l)| usize::from(*l))
}

/// True when `iban` (upper-case letters and digits, no spaces) has its country's length, two
/// check digits and passes ISO 7064 mod-97-10.
pub fn iban(iban: &[u8]) -> bool {
    if iban.len() < 5
        || !iban[..2].iter().all(u8::is_ascii_uppercase)
        || !iban[2..4].iter().all(u8::is_ascii_digit)
        || iban_length(&iban[..2]) != Some(iban.len())
    {
        return false;
    }
    let mut rem = 0u32;
    // the country code and check digits move to the end
    for &c in iban[4..].iter().chain(&iban[..4]) {
        rem = match c {
            b'0'..=b'9' => (rem * 10 + u32::from(c - b'0')) % 97,
            b'A'..=b'Z' => (rem * 100 + u32::from(c - b'A' + 10)) % 97,
            _ => return false,
        };
    }
    rem == 1
}

/// True when area-group-serial (digits only) is an SSN the SSA could have issued: area not
/// 000, 666 or 900-999, group not 00, serial not 0000.
pub fn us_ssn(area: &[u8], group: &[u8], serial: &[u8]) -> bool {
    if area.len() != 3 || group.len() != 2 || serial.len() != 4 {
        return false;
    }
    if !area
        .iter()
        .chain(group)
        .chain(serial)
        .all(u8::is_ascii_digit)
    {
        return false;
    }
    area != b"000" && area != b"666" && area[0] != b'9' && group != b"00" && serial != b"0000"
}

/// True when a 10-digit North American number has a valid area code (NPA: `[2-9][0-8][0-9]`,
/// not an N11 service code) and exchange (NXX: `[2-9][0-9][0-9]`, not N11).
pub fn nanp(ten: &[u8]) -> bool {
    if ten.len() != 10 || !ten.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let (npa, nxx) = (&ten[0..3], &ten[3..6]);
    let n11 = |x: &[u8]| x[1] == b'1' && x[2] == b'1';
    npa[0] >= b'2' && npa[1] != b'9' && !n11(npa) && nxx[0] >= b'2' && !n11(nxx)
}

/// Assigned ITU-T E.164 country calling codes (1 to 3 digits).
const COUNTRY_CODES: &[u16] = &[
    1, 7, 20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54,
    55, 56, 57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98, 211,
    212, 213, 216, 218, 220, 221, 222, 223, 224, 225, 226, 227, 228, 229, 230, 231, 232, 233, 234,
    235, 236, 237, 238, 239, 240, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253,
    254, 255, 256, 257, 258, 260, 261, 262, 263, 264, 265, 266, 267, 268, 269, 290, 291, 297, 298,
    299, 350, 351, 352, 353, 354, 355, 356, 357, 358, 359, 370, 371, 372, 373, 374, 375, 376, 377,
    378, 379, 380, 381, 382, 383, 385, 386, 387, 389, 420, 421, 423, 500, 501, 502, 503, 504, 505,
    506, 507, 508, 509, 590, 591, 592, 593, 594, 595, 596, 597, 598, 599, 670, 672, 673, 674, 675,
    676, 677, 678, 679, 680, 681, 682, 683, 685, 686, 687, 688, 689, 690, 691, 692, 850, 852, 853,
    855, 856, 880, 886, 960, 961, 962, 963, 964, 965, 966, 967, 968, 970, 971, 972, 973, 974, 975,
    976, 977, 992, 993, 994, 995, 996, 998,
];

/// National significant number lengths (min, max) of the countries with a well-known plan;
/// other assigned codes accept 6 to 12 digits.
const NSN_LENGTHS: &[(u16, u8, u8)] = &[
    (1, 10, 10),
    (7, 10, 10),
    (20, 8, 10),
    (27, 9, 9),
    (30, 10, 10),
    (31, 9, 9),
    (32, 8, 9),
    (33, 9, 9),
    (34, 9, 9),
    (36, 8, 9),
    (39, 6, 11),
    (40, 9, 9),
    (41, 9, 9),
    (43, 4, 13),
    (44, 9, 10),
    (45, 8, 8),
    (46, 7, 10),
    (47, 8, 8),
    (48, 9, 9),
    (49, 6, 13),
    (52, 10, 10),
    (55, 10, 11),
    (61, 9, 9),
    (64, 8, 10),
    (65, 8, 8),
    (81, 9, 10),
    (82, 8, 10),
    (86, 10, 11),
    (91, 10, 10),
    (351, 9, 9),
    (353, 7, 9),
    (358, 5, 12),
    (966, 8, 9),
    (971, 8, 9),
    (972, 8, 9),
];

/// Splits an international number (digits after `+` or `00`) into its country code and
/// national number, if the code is assigned.
pub fn country_code(digits: &[u8]) -> Option<(u16, &[u8])> {
    (1..=3).filter(|&n| digits.len() > n).find_map(|n| {
        let cc = prefix_num(digits, n) as u16;
        // a 2-digit code never starts with a 1-digit one and so on: the plan is prefix-free
        COUNTRY_CODES
            .binary_search(&cc)
            .ok()
            .map(|_| (cc, &digits[n..]))
    })
}

/// True when `digits` (the number after `+`, country code first) is a plausible E.164 number:
/// assigned country code, national number length of that country, at most 15 digits, and the
/// NANP rules for `+1`.
pub fn e164(digits: &[u8]) -> bool {
    if !(7..=15).contains(&digits.len()) || !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let Some((cc, nsn)) = country_code(digits) else {
        return false;
    };
    if nsn.first() == Some(&b'0') && cc != 39 {
        // trunk prefixes are dropped in international form (Italy keeps its leading 0)
        return false;
    }
    let (lo, hi) = NSN_LENGTHS
        .iter()
        .find(|(c, _, _)| *c == cc)
        .map(|&(_, lo, hi)| (usize::from(lo), usize::from(hi)))
        .unwrap_or((6, 12));
    if !(lo..=hi).contains(&nsn.len()) {
        return false;
    }
    cc != 1 || nanp(nsn)
}

/// True when `s` is a dotted-quad IPv4 address (`std::net`, which refuses leading zeros).
pub fn ipv4(s: &[u8]) -> bool {
    std::str::from_utf8(s)
        .ok()
        .and_then(|s| s.parse::<Ipv4Addr>().ok())
        .is_some()
}

/// True when `s` is an IPv6 address (`std::net`); the unspecified `::` alone does not count.
pub fn ipv6(s: &[u8]) -> bool {
    std::str::from_utf8(s)
        .ok()
        .and_then(|s| s.parse::<Ipv6Addr>().ok())
        .is_some_and(|a| !a.is_unspecified())
}

fn b64_value(c: u8, url: bool) -> Option<u8> {
    Some(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' if !url => 62,
        b'/' if !url => 63,
        b'-' if url => 62,
        b'_' if url => 63,
        _ => return None,
    })
}

/// Decodes base64 (`url`: the URL-safe alphabet), padding optional. `None` if malformed.
pub fn base64_decode(s: &[u8], url: bool) -> Option<Vec<u8>> {
    let body = s.strip_suffix(b"==").or(s.strip_suffix(b"=")).unwrap_or(s);
    if body.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in body {
        acc = (acc << 6) | u32::from(b64_value(c, url)?);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// True when a JWT header segment (base64url) decodes to a JSON object with an `"alg"` member.
pub fn jwt_header(segment: &[u8]) -> bool {
    if segment.len() > 4096 {
        return false;
    }
    base64_decode(segment, true)
        .and_then(|h| serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&h).ok())
        .is_some_and(|m| m.contains_key("alg"))
}

/// True when an HTTP Basic credential (standard base64) decodes to UTF-8 `user:password`.
pub fn basic_credentials(token: &[u8]) -> bool {
    base64_decode(token, false)
        .and_then(|d| String::from_utf8(d).ok())
        .is_some_and(|s| s.find(':').is_some_and(|i| i > 0) && !s.chars().any(|c| c.is_control()))
}

/// True when a random-looking token mixes at least two of upper case, lower case and digits:
/// real keys do, placeholders (`YOUR_API_KEY`, `sk-this-is-a-test`) do not.
pub fn mixed_classes(token: &[u8]) -> bool {
    let upper = token.iter().any(u8::is_ascii_uppercase);
    let lower = token.iter().any(u8::is_ascii_lowercase);
    let digit = token.iter().any(u8::is_ascii_digit);
    u8::from(upper) + u8::from(lower) + u8::from(digit) >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(s: &str) -> Vec<u8> {
        s.bytes().filter(u8::is_ascii_digit).collect()
    }

    #[test]
    fn luhn_accepts_valid_and_refuses_one_digit_off() {
        assert!(luhn(b"4111111111111111"));
        assert!(luhn(b"79927398713"));
        assert!(!luhn(b"4111111111111112"));
        assert!(!luhn(b"79927398710"));
        assert!(!luhn(b""));
    }

    #[test]
    fn card_brands_by_prefix_and_length() {
        use CardBrand::*;
        for (n, b) in [
            ("4111 1111 1111 1111", Visa),
            ("4222222222222", Visa),
            ("5555 5555 5555 4444", Mastercard),
            ("2221 0000 0000 0009", Mastercard),
            ("2720 9900 0000 0007", Mastercard),
            ("3782 822463 10005", Amex),
            ("6011 1111 1111 1117", Discover),
            ("6221 2600 0000 0000", Discover),
            ("3530 1113 3330 0000", Jcb),
            ("180020579868282", Jcb),
            ("213127654444631", Jcb),
            ("3056 930902 5904", Diners),
        ] {
            assert_eq!(card_brand(&digits(n)), Some(b), "{n}");
        }
    }

    #[test]
    fn card_near_misses() {
        // Luhn fails
        assert_eq!(card_brand(b"4111111111111112"), None);
        // Mastercard range ends at 2720
        let mut n = digits("2721 0000 0000 0000");
        // make it Luhn-valid so only the range refuses it
        for last in b'0'..=b'9' {
            n[15] = last;
            if luhn(&n) {
                break;
            }
        }
        assert!(luhn(&n));
        assert_eq!(card_brand(&n), None);
        // Amex needs 15 digits
        assert_eq!(card_brand(b"3782822463100050"), None);
        // unknown issuer
        assert_eq!(card_brand(b"9111111111111111"), None);
        // too short / too long
        assert_eq!(card_brand(b"411111111111"), None);
        assert_eq!(card_brand(b"41111111111111111111"), None);
    }

    #[test]
    fn iban_lengths_and_mod97() {
        for i in [
            "DE89370400440532013000",
            "GB82WEST12345698765432",
            "FR1420041010050500013M02606",
            "NL91ABNA0417164300",
            "BE68539007547034",
            "NO9386011117947",
            "CH9300762011623852957",
            "ES9121000418450200051332",
            "IT60X0542811101000000123456",
        ] {
            assert!(iban(i.as_bytes()), "{i}");
        }
        // one check digit off
        assert!(!iban(b"DE88370400440532013000"));
        // wrong length for the country
        assert!(!iban(b"DE8937040044053201300"));
        // not a country
        assert!(!iban(b"XX89370400440532013000"));
        // lower case is not the electronic format
        assert!(!iban(b"de89370400440532013000"));
    }

    #[test]
    fn ssn_rules() {
        assert!(us_ssn(b"123", b"45", b"6789"));
        assert!(us_ssn(b"078", b"05", b"1120"));
        assert!(!us_ssn(b"000", b"45", b"6789"));
        assert!(!us_ssn(b"666", b"45", b"6789"));
        assert!(!us_ssn(b"912", b"45", b"6789"));
        assert!(!us_ssn(b"123", b"00", b"6789"));
        assert!(!us_ssn(b"123", b"45", b"0000"));
        assert!(!us_ssn(b"12", b"345", b"6789"));
    }

    #[test]
    fn nanp_rules() {
        assert!(nanp(b"4155552671"));
        assert!(nanp(b"2125550100"));
        assert!(!nanp(b"1155552671")); // NPA starts with 1
        assert!(!nanp(b"0155552671")); // NPA starts with 0
        assert!(!nanp(b"4915552671")); // NPA middle digit 9
        assert!(!nanp(b"4115552671")); // N11 area code
        assert!(!nanp(b"4151552671")); // exchange starts with 1
        assert!(!nanp(b"4159112671")); // N11 exchange
        assert!(!nanp(b"415555267")); // 9 digits
    }

    #[test]
    fn e164_country_codes_and_lengths() {
        assert!(e164(b"14155552671"));
        assert!(e164(b"442079460958"));
        assert!(e164(b"4915123456789"));
        assert!(e164(b"33123456789"));
        assert!(e164(b"919876543210"));
        assert!(e164(b"81312345678"));
        assert!(e164(b"61298765432"));
        assert!(e164(b"390612345678")); // Italy keeps its 0
        assert!(!e164(b"11155552671")); // NANP area code 115
        assert!(!e164(b"1415555267")); // NANP 9 digits
        assert!(!e164(b"2801234567")); // 280 unassigned
        assert!(!e164(b"4402079460958")); // trunk 0 kept
        assert!(!e164(b"3312345678")); // France needs 9
        assert!(!e164(b"1234567890123456")); // > 15 digits
    }

    #[test]
    fn ip_parsing() {
        assert!(ipv4(b"192.168.1.20"));
        assert!(ipv4(b"8.8.8.8"));
        assert!(!ipv4(b"256.1.1.1"));
        assert!(!ipv4(b"1.2.3"));
        assert!(!ipv4(b"01.2.3.4"));
        assert!(ipv6(b"2001:db8::1"));
        assert!(ipv6(b"::1"));
        assert!(ipv6(b"fe80::1ff:fe23:4567:890a"));
        assert!(ipv6(b"::ffff:192.0.2.1"));
        assert!(!ipv6(b"::"));
        assert!(!ipv6(b"12:30:45"));
        assert!(!ipv6(b"00:1a:2b:3c:4d:5e"));
        assert!(!ipv6(b"2001:db8:::1"));
    }

    #[test]
    fn base64_and_jwt_and_basic() {
        assert_eq!(base64_decode(b"aGVsbG8", false).unwrap(), b"hello");
        assert_eq!(base64_decode(b"aGVsbG8=", false).unwrap(), b"hello");
        assert!(base64_decode(b"a", false).is_none());
        assert!(base64_decode(b"a*bc", false).is_none());
        // {"alg":"HS256","typ":"JWT"}
        assert!(jwt_header(b"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"));
        // {"typ":"JWT"}: no alg
        assert!(!jwt_header(b"eyJ0eXAiOiJKV1QifQ"));
        // not JSON
        assert!(!jwt_header(b"eyJub3QganNvbg"));
        assert!(basic_credentials(b"dXNlcjpwYXNz")); // user:pass
        assert!(!basic_credentials(b"dXNlcnBhc3M=")); // userpass
        assert!(!basic_credentials(b"usage"));
    }

    #[test]
    fn mixed_class_rule() {
        assert!(mixed_classes(b"abcDEF"));
        assert!(mixed_classes(b"abc123"));
        assert!(!mixed_classes(b"YOUR_API_KEY"));
        assert!(!mixed_classes(b"this-is-a-test"));
    }

    #[test]
    fn country_code_table_is_sorted_for_binary_search() {
        assert!(COUNTRY_CODES.windows(2).all(|w| w[0] < w[1]));
    }
}
