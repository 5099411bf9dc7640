//! The built-in detectors: their list (written once, here), names (config keys, report types
//! and default markers) and the precedence that decides the type of overlapping findings;
//! and [`DetectorId`], which numbers the built-in and custom detectors together.

/// Hands the list of built-in detectors, in precedence order, to the macro `$then`: the list
/// is written once, and each module makes what it needs of it (here the [`Builtin`] enum, in
/// [`crate::config`] the per-detector settings).
macro_rules! with_builtins {
    ($then:ident) => {
        $then! {
            /// PEM private key blocks (`-----BEGIN ... PRIVATE KEY-----` to the matching END line),
            /// whole.
            PrivateKey => private_key,
            /// The password of a URL with credentials (`scheme://user:PASSWORD@host`); only the
            /// password is replaced.
            UrlPassword => url_password,
            /// Anthropic API keys (`sk-ant-...`).
            AnthropicApiKey => anthropic_api_key,
            /// OpenAI API keys (`sk-...`, `sk-proj-...`, `sk-svcacct-...`, `sk-admin-...`).
            OpenaiApiKey => openai_api_key,
            /// AWS access key ids (`AKIA`/`ASIA` + 16 upper-case letters or digits).
            AwsAccessKeyId => aws_access_key_id,
            /// GitHub tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`).
            GithubToken => github_token,
            /// GitLab personal access tokens (`glpat-`).
            GitlabToken => gitlab_token,
            /// Slack tokens (`xoxa-`, `xoxb-`, `xoxp-`, `xoxr-`, `xoxs-`).
            SlackToken => slack_token,
            /// Slack incoming-webhook URLs (`https://hooks.slack.com/services/...`), whole.
            SlackWebhook => slack_webhook,
            /// Stripe secret and restricted keys (`sk_live_`, `sk_test_`, `rk_live_`, `rk_test_`).
            StripeKey => stripe_key,
            /// Google API keys (`AIza` + 35 characters).
            GoogleApiKey => google_api_key,
            /// JSON Web Tokens: three base64url parts whose header decodes to JSON with `"alg"`.
            Jwt => jwt,
            /// The credential of an `Authorization: Bearer` value.
            BearerToken => bearer_token,
            /// The credential of an `Authorization: Basic` value (decodes to `user:password`).
            BasicAuth => basic_auth,
            /// AWS secret access keys: 40 base64 characters within 160 bytes of an `aws`/`secret`
            /// keyword (the weakest evidence of all credentials, so the others take precedence).
            AwsSecretAccessKey => aws_secret_access_key,
            /// The whole value of an attribute whose key names a secret (`secret_attribute_keys`:
            /// passwords, tokens, API keys, cookies), whatever the value looks like; never found
            /// in free text.
            SecretAttribute => secret_attribute,
            /// Email addresses.
            Email => email,
            /// Payment card numbers (Visa, Mastercard, Amex, Discover, JCB, Diners; Luhn).
            CreditCard => credit_card,
            /// IBANs (country length table and mod-97), with or without spaces.
            Iban => iban,
            /// US Social Security numbers (`123-45-6789`, SSA issuing rules).
            UsSsn => us_ssn,
            /// Phone numbers: E.164 / international (`+` or `00` and an assigned country code),
            /// North American (NANP rules) and national numbers with a trunk `0`, written with
            /// separators.
            Phone => phone,
            /// IPv4 and IPv6 addresses (parsed with `std::net`).
            IpAddress => ip_address,
        }
    };
}
pub(crate) use with_builtins;

/// Writes the [`Builtin`] enum, its precedence order and names from the list.
macro_rules! builtin_enum {
    ($($(#[$doc:meta])* $variant:ident => $name:ident,)*) => {
        /// A built-in detector. Its [`name`](Builtin::name) is the config key under
        /// `detectors`, the type reported in `llm_observatory.pii.types` and counters, and,
        /// upper-cased, the default marker (`<EMAIL>`). Declared in precedence order.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum Builtin {
            $($(#[$doc])* $variant,)*
        }

        const COUNT: usize = [$(stringify!($variant)),*].len();

        impl Builtin {
            /// Every built-in detector, in precedence order (earlier wins an overlap).
            pub const ALL: [Builtin; COUNT] = [$(Builtin::$variant),*];

            /// The detector's name: config key, reported type, counter label.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Builtin::$variant => stringify!($name),)*
                }
            }
        }
    };
}

with_builtins!(builtin_enum);

impl Builtin {
    /// The detector called `name`.
    pub fn from_name(name: &str) -> Option<Builtin> {
        Builtin::ALL.into_iter().find(|b| b.name() == name)
    }

    /// True for credentials (keys, tokens, passwords): the secrets, as opposed to personal data.
    pub const fn is_secret(self) -> bool {
        (self as u8) < (Builtin::Email as u8)
    }
}

/// Which detector found something: the built-ins first ([`Builtin`] order), then the custom
/// detectors in config order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DetectorId(pub u16);

impl DetectorId {
    /// The id of a built-in detector.
    pub const fn builtin(b: Builtin) -> DetectorId {
        DetectorId(b as u16)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_is_in_declaration_order_and_names_are_unique() {
        for (i, b) in Builtin::ALL.iter().enumerate() {
            assert_eq!(*b as usize, i);
            assert_eq!(Builtin::from_name(b.name()), Some(*b));
        }
        let mut names: Vec<_> = Builtin::ALL.iter().map(|b| b.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Builtin::ALL.len());
    }

    #[test]
    fn secrets_come_first() {
        assert!(Builtin::PrivateKey.is_secret());
        assert!(Builtin::BasicAuth.is_secret());
        assert!(!Builtin::Email.is_secret());
        assert!(!Builtin::IpAddress.is_secret());
    }
}
