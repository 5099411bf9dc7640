//! The built-in detectors: their names (config keys, report types and default markers) and
//! the precedence that decides the type of overlapping findings.

/// A built-in detector. Its [`name`](Builtin::name) is the config key under `detectors`, the
/// type reported in `llm_observatory.pii.types` and counters, and, upper-cased, the default
/// marker (`<EMAIL>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Builtin {
    /// PEM private key blocks (`-----BEGIN ... PRIVATE KEY-----` to the matching END line),
    /// whole.
    PrivateKey,
    /// The password of a URL with credentials (`scheme://user:PASSWORD@host`); only the
    /// password is replaced.
    UrlPassword,
    /// Anthropic API keys (`sk-ant-...`).
    AnthropicApiKey,
    /// OpenAI API keys (`sk-...`, `sk-proj-...`, `sk-svcacct-...`, `sk-admin-...`).
    OpenaiApiKey,
    /// AWS access key ids (`AKIA`/`ASIA` + 16 upper-case letters or digits).
    AwsAccessKeyId,
    /// GitHub tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`).
    GithubToken,
    /// GitLab personal access tokens (`glpat-`).
    GitlabToken,
    /// Slack tokens (`xoxa-`, `xoxb-`, `xoxp-`, `xoxr-`, `xoxs-`).
    SlackToken,
    /// Slack incoming-webhook URLs (`https://hooks.slack.com/services/...`), whole.
    SlackWebhook,
    /// Stripe secret and restricted keys (`sk_live_`, `sk_test_`, `rk_live_`, `rk_test_`).
    StripeKey,
    /// Google API keys (`AIza` + 35 characters).
    GoogleApiKey,
    /// JSON Web Tokens: three base64url parts whose header decodes to JSON with `"alg"`.
    Jwt,
    /// The credential of an `Authorization: Bearer` value.
    BearerToken,
    /// The credential of an `Authorization: Basic` value (decodes to `user:password`).
    BasicAuth,
    /// AWS secret access keys: 40 base64 characters within 160 bytes of an `aws`/`secret`
    /// keyword (the weakest evidence of all credentials, so the others take precedence).
    AwsSecretAccessKey,
    /// Email addresses.
    Email,
    /// Payment card numbers (Visa, Mastercard, Amex, Discover, JCB, Diners; Luhn).
    CreditCard,
    /// IBANs (country length table and mod-97), with or without spaces.
    Iban,
    /// US Social Security numbers (`123-45-6789`, SSA issuing rules).
    UsSsn,
    /// Phone numbers: E.164 / international (`+` or `00` and an assigned country code),
    /// North American (NANP rules) and national numbers with a trunk `0`, written with
    /// separators.
    Phone,
    /// IPv4 and IPv6 addresses (parsed with `std::net`).
    IpAddress,
}

impl Builtin {
    /// Every built-in detector, in precedence order (earlier wins an overlap).
    pub const ALL: [Builtin; 21] = [
        Builtin::PrivateKey,
        Builtin::UrlPassword,
        Builtin::AnthropicApiKey,
        Builtin::OpenaiApiKey,
        Builtin::AwsAccessKeyId,
        Builtin::GithubToken,
        Builtin::GitlabToken,
        Builtin::SlackToken,
        Builtin::SlackWebhook,
        Builtin::StripeKey,
        Builtin::GoogleApiKey,
        Builtin::Jwt,
        Builtin::BearerToken,
        Builtin::BasicAuth,
        Builtin::AwsSecretAccessKey,
        Builtin::Email,
        Builtin::CreditCard,
        Builtin::Iban,
        Builtin::UsSsn,
        Builtin::Phone,
        Builtin::IpAddress,
    ];

    /// The detector's name: config key, reported type, counter suffix.
    pub const fn name(self) -> &'static str {
        match self {
            Builtin::PrivateKey => "private_key",
            Builtin::UrlPassword => "url_password",
            Builtin::AnthropicApiKey => "anthropic_api_key",
            Builtin::OpenaiApiKey => "openai_api_key",
            Builtin::AwsAccessKeyId => "aws_access_key_id",
            Builtin::AwsSecretAccessKey => "aws_secret_access_key",
            Builtin::GithubToken => "github_token",
            Builtin::GitlabToken => "gitlab_token",
            Builtin::SlackToken => "slack_token",
            Builtin::SlackWebhook => "slack_webhook",
            Builtin::StripeKey => "stripe_key",
            Builtin::GoogleApiKey => "google_api_key",
            Builtin::Jwt => "jwt",
            Builtin::BearerToken => "bearer_token",
            Builtin::BasicAuth => "basic_auth",
            Builtin::Email => "email",
            Builtin::CreditCard => "credit_card",
            Builtin::Iban => "iban",
            Builtin::UsSsn => "us_ssn",
            Builtin::Phone => "phone",
            Builtin::IpAddress => "ip_address",
        }
    }

    /// The detector called `name`.
    pub fn from_name(name: &str) -> Option<Builtin> {
        Builtin::ALL.into_iter().find(|b| b.name() == name)
    }

    /// True for credentials (keys, tokens, passwords): the secrets, as opposed to personal data.
    pub const fn is_secret(self) -> bool {
        (self as u8) < (Builtin::Email as u8)
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
