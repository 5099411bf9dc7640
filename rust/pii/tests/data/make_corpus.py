#!/usr/bin/env python3
"""Generate the labelled PII corpus and the clean technical corpus for tests/corpus.rs.

    python3 -m venv /tmp/pii-venv && /tmp/pii-venv/bin/pip install faker
    /tmp/pii-venv/bin/python make_corpus.py            # writes pii.jsonl and clean.jsonl here
    /tmp/pii-venv/bin/python make_corpus.py --check    # exits 1 if they differ from what it writes

Deterministic (fixed seeds; committed output generated with Faker 40.54.0), so the Rust tests
need no Python. Faker supplies the realistic surroundings (names, sentences, addresses,
companies in several locales); every structured value is generated here so that it is valid
by construction (Luhn, mod-97, NANP rules, assigned country codes, SSA rules, JSON JWT
headers) and its exact byte span is known.

pii.jsonl:   {"id": "email/0007", "type": "email", "text": "...", "spans": [[start, end, "email"]]}
             spans are UTF-8 byte offsets (what the Rust engine reports), end exclusive.
clean.jsonl: {"id": "uuid/0003", "category": "uuid", "text": "..."}: technical text with no PII
             or secret that any detector should report.
"""
import base64
import hashlib
import json
import os
import random
import string
import sys
import uuid
from datetime import datetime

# Some Faker providers pick from sets, whose order follows the string hash seed.
if os.environ.get("PYTHONHASHSEED") != "0":
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

from faker import Faker  # noqa: E402

SEED = 20251121
HERE = os.path.dirname(os.path.abspath(__file__))
PER_TYPE = 220

rng = random.Random(SEED)
Faker.seed(SEED)
LOCALES = ["en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pt_BR", "ja_JP", "pl_PL"]
fakers = {loc: Faker(loc) for loc in LOCALES}
for i, f in enumerate(fakers.values()):
    f.seed_instance(SEED + i)
en = fakers["en_US"]

ALNUM = string.ascii_letters + string.digits
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"
UPPER_DIGITS = string.ascii_uppercase + string.digits


def dt():
    """A date-time in a fixed window (Faker's own defaults end at `now`: not reproducible)."""
    return en.date_time_between(start_date=datetime(2015, 1, 1), end_date=datetime(2025, 6, 30))


DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def rand(chars, n):
    return "".join(rng.choice(chars) for _ in range(n))


def mixed(chars, n):
    """A random token that has upper case, lower case and digits (as real keys do)."""
    while True:
        s = rand(chars, n)
        if any(c.isupper() for c in s) and any(c.islower() for c in s) and any(c.isdigit() for c in s):
            return s


def luhn_complete(prefix, length):
    body = prefix + "".join(rng.choice(string.digits) for _ in range(length - len(prefix) - 1))
    for d in string.digits:
        n = body + d
        total = 0
        for i, c in enumerate(reversed(n)):
            v = int(c)
            if i % 2 == 1:
                v *= 2
                if v > 9:
                    v -= 9
            total += v
        if total % 10 == 0:
            return n
    raise AssertionError


def luhn_ok(n):
    total = 0
    for i, c in enumerate(reversed(n)):
        v = int(c)
        if i % 2 == 1:
            v *= 2
            if v > 9:
                v -= 9
        total += v
    return total % 10 == 0


# ---------------------------------------------------------------- surroundings

def locale():
    return fakers[rng.choice(LOCALES)]


def sentence():
    f = locale()
    pick = rng.random()
    if pick < 0.4:
        return en.sentence(nb_words=rng.randint(6, 14))
    if pick < 0.6:
        return f"{f.name()} from {f.company()} asked about the {en.word()} {en.word()}."
    if pick < 0.75:
        return f"Ship it to {f.city()} before {rng.choice(DAYS)}, {f.name()} said."
    if pick < 0.9:
        return f.text(max_nb_chars=120).replace("\n", " ")
    return en.paragraph(nb_sentences=2)


class Sample:
    """Text built piece by piece, recording the byte spans of the labelled values."""

    def __init__(self):
        self.parts = []
        self.at = 0
        self.spans = []

    def add(self, s):
        self.parts.append(s)
        self.at += len(s.encode("utf-8"))
        return self

    def pii(self, s, kind):
        self.spans.append([self.at, self.at + len(s.encode("utf-8")), kind])
        return self.add(s)

    def text(self):
        return "".join(self.parts)


def embed(kind, before, value, after, label=None):
    """Realistic prompt text: sentences, then `before` VALUE `after`, then sentences."""
    s = Sample()
    for _ in range(rng.randint(0, 2)):
        s.add(sentence() + " ")
    s.add(before)
    if isinstance(value, list):  # [(text, labelled?)]
        for piece, labelled in value:
            if labelled:
                s.pii(piece, label or kind)
            else:
                s.add(piece)
    else:
        s.pii(value, label or kind)
    s.add(after)
    for _ in range(rng.randint(0, 2)):
        s.add(" " + sentence())
    return s


# ---------------------------------------------------------------- generators per type

def gen_email():
    f = locale()
    local = rng.choice([
        lambda: f.user_name(),
        lambda: f"{en.first_name()}.{en.last_name()}".lower(),
        lambda: f"{en.first_name().lower()}+{en.word()}",
        lambda: f"{en.first_name()[0].lower()}_{en.last_name().lower()}{rng.randint(1, 99)}",
        lambda: en.user_name(),
    ])()
    local = "".join(c for c in local if c.isascii() and (c.isalnum() or c in "._+-")).strip(".") or "user"
    domain = rng.choice([
        lambda: en.free_email_domain(),
        lambda: en.domain_name(),
        lambda: f"mail.{en.domain_word()}.co.uk",
        lambda: f"{en.domain_word()}.io",
        lambda: f"{en.domain_word()}-{en.domain_word()}.de",
    ])()
    value = f"{local}@{domain}"
    before, after = rng.choice([
        ("My email is ", ", please update my account."),
        ("Contact: ", "\n"),
        ("Send the invoice to <", ">."),
        ("reply-to=", " status=sent"),
        ("\"email\": \"", "\""),
        ("CC ", " and the team."),
        ("Can you write to ", "? Thanks"),
    ])
    return embed("email", before, value, after)


def nanp_number():
    while True:
        npa = f"{rng.randint(2, 9)}{rng.randint(0, 8)}{rng.randint(0, 9)}"
        nxx = f"{rng.randint(2, 9)}{rng.randint(0, 9)}{rng.randint(0, 9)}"
        if npa[1:] != "11" and nxx[1:] != "11":
            return npa, nxx, f"{rng.randint(0, 9999):04d}"


def gen_phone():
    kind = rng.randrange(18)
    if kind >= 16:  # no separators: only with a phone keyword in front
        a, b, c = nanp_number()
        value = rng.choice([f"{a}{b}{c}", f"1{a}{b}{c}", f"07{rng.randint(100, 999)}{rng.randint(100000, 999999)}"])
        before, after = rng.choice([("Call me at ", " tonight."), ("mobile: ", "\n"), ("my cell is ", ", thanks"), ("Tel ", " (office)")])
        return embed("phone", before, value, after)
    if kind < 6:
        a, b, c = nanp_number()
        value = [
            f"({a}) {b}-{c}", f"{a}-{b}-{c}", f"{a}.{b}.{c}", f"+1 {a} {b} {c}",
            f"+1-{a}-{b}-{c}", f"1-{a}-{b}-{c}",
        ][kind]
    elif kind == 6:
        a, b, c = nanp_number()
        value = f"+1{a}{b}{c}"
    elif kind == 7:  # UK
        n = f"{rng.randint(1000, 9999)} {rng.randint(0, 9999):04d}"
        value = rng.choice([f"+44 20 {n}", f"+44 (0)20 {n}", f"020 {n}", f"+44 7{rng.randint(100, 999)} {rng.randint(100000, 999999)}",
                            f"07{rng.randint(100, 999)} {rng.randint(100000, 999999)}"])
    elif kind == 8:  # Germany
        value = rng.choice([f"+49 30 {rng.randint(10000000, 99999999)}", f"+49 151 {rng.randint(1000000, 9999999)}{rng.randint(0, 9)}",
                            f"030 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}", f"0049 89 {rng.randint(1000000, 9999999)}"])
    elif kind == 9:  # France
        p = [f"{rng.randint(0, 99):02d}" for _ in range(4)]
        d = rng.randint(1, 9)
        value = rng.choice([f"+33 {d} {' '.join(p)}", f"0{d} {' '.join(p)}", f"0{d}.{'.'.join(p)}", f"+33{d}{''.join(p)}"])
    elif kind == 10:  # India
        value = rng.choice([f"+91 {rng.randint(70000, 99999)} {rng.randint(10000, 99999)}", f"+91-{rng.randint(7000000000, 9999999999)}"])
    elif kind == 11:  # Japan
        value = rng.choice([f"+81 3-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}", f"03-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
                            f"+81 90-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"])
    elif kind == 12:  # Australia
        value = rng.choice([f"+61 2 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}", f"+61 4{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
                            f"(02) {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"])
    elif kind == 13:  # Spain, Italy, Netherlands
        value = rng.choice([f"+34 {rng.randint(600, 799)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
                            f"+39 06 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
                            f"+31 6 {rng.randint(10000000, 99999999)}", f"06-{rng.randint(10000000, 99999999)}"])
    elif kind == 14:  # Brazil, Mexico
        value = rng.choice([f"+55 11 9{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}", f"+52 55 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"])
    else:  # Poland, Switzerland
        value = rng.choice([f"+48 {rng.randint(500, 899)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
                            f"+41 44 {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"])
    before, after = rng.choice([
        ("Call me at ", " after 5pm."),
        ("Phone: ", "\n"),
        ("my number is ", ", text first"),
        ("Tel. ", " / fax none"),
        ("\"phone\": \"", "\""),
        ("reach the driver on ", "."),
        ("WhatsApp ", " (mobile)"),
    ])
    return embed("phone", before, value, after)


CARD_BRANDS = [
    ("visa", lambda: "4", [16, 16, 16, 13, 19]),
    ("mastercard", lambda: str(rng.randint(51, 55)), [16]),
    ("mastercard2", lambda: str(rng.randint(2221, 2720)), [16]),
    ("amex", lambda: rng.choice(["34", "37"]), [15]),
    ("discover", lambda: rng.choice(["6011", str(rng.randint(644, 649)), "65", str(rng.randint(622126, 622925))]), [16, 19]),
    ("jcb", lambda: str(rng.randint(3528, 3589)), [16]),
    ("diners", lambda: rng.choice([str(rng.randint(300, 305)), "3095", "36", "38", "39"]), [14]),
]


def group_card(n, sep):
    if sep is None:
        return n
    if len(n) == 15:
        return sep.join([n[:4], n[4:10], n[10:]])
    if len(n) == 14:
        return sep.join([n[:4], n[4:10], n[10:]])
    if len(n) == 13:
        return sep.join([n[:4], n[4:7], n[7:10], n[10:]])
    return sep.join(n[i:i + 4] for i in range(0, len(n), 4))


def gen_card(i):
    _, prefix, lengths = CARD_BRANDS[i % len(CARD_BRANDS)]
    n = luhn_complete(prefix(), rng.choice(lengths))
    value = group_card(n, rng.choice([None, " ", "-", " "]))
    before, after = rng.choice([
        ("My card number is ", ", exp 09/27."),
        ("card: ", " cvv on the back\n"),
        ("Please charge ", " for the order."),
        ("\"card_number\": \"", "\""),
        ("pay with ", " thanks"),
    ])
    return embed("credit_card", before, value, after)


IBAN_FORMATS = {
    "DE": "8n10n", "GB": "4a6n8n", "FR": "5n5n11c2n", "ES": "4n4n1n1n10n", "IT": "1a5n5n12c",
    "NL": "4a10n", "BE": "3n7n2n", "CH": "5n12c", "AT": "5n11n", "PL": "8n16n", "SE": "3n16n1n",
    "NO": "4n6n1n", "PT": "4n4n11n2n", "IE": "4a6n8n", "DK": "4n9n1n", "FI": "3n11n",
}


def bban(fmt):
    out = []
    i = 0
    while i < len(fmt):
        j = i
        while fmt[j].isdigit():
            j += 1
        n, kind = int(fmt[i:j]), fmt[j]
        chars = {"n": string.digits, "a": string.ascii_uppercase, "c": UPPER_DIGITS}[kind]
        out.append(rand(chars, n))
        i = j + 1
    return "".join(out)


def iban_check(cc, b):
    s = b + cc + "00"
    num = int("".join(str(int(c, 36)) for c in s))
    return f"{98 - num % 97:02d}"


def gen_iban():
    cc = rng.choice(sorted(IBAN_FORMATS))
    b = bban(IBAN_FORMATS[cc])
    iban = cc + iban_check(cc, b) + b
    value = " ".join(iban[i:i + 4] for i in range(0, len(iban), 4)) if rng.random() < 0.6 else iban
    before, after = rng.choice([
        ("Please wire it to IBAN ", " by Friday."),
        ("IBAN: ", "\nBIC: " + rand(string.ascii_uppercase, 8)),
        ("my account is ", ", bank " + en.company()),
        ("\"iban\": \"", "\""),
    ])
    return embed("iban", before, value, after)


def gen_ssn():
    while True:
        area = rng.randint(1, 899)
        if area != 666:
            break
    value = f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"
    if rng.random() < 0.15:
        value = value.replace("-", " ")
    before, after = rng.choice([
        ("My SSN is ", "."),
        ("SSN: ", "\nDOB: " + dt().date().isoformat()),
        ("social security number ", " on file"),
        ("\"ssn\": \"", "\""),
    ])
    return embed("us_ssn", before, value, after)


def gen_ip(i):
    if i % 2 == 0:
        value = rng.choice([
            lambda: en.ipv4_public(),
            lambda: en.ipv4_private(),
            lambda: f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        ])()
    else:
        value = rng.choice([
            lambda: en.ipv6(),
            lambda: f"2001:db8:{rng.randint(0, 0xffff):x}::{rng.randint(1, 0xffff):x}",
            lambda: f"fe80::{rng.randint(0, 0xffff):x}:{rng.randint(0, 0xffff):x}:{rng.randint(0, 0xffff):x}:{rng.randint(0, 0xffff):x}",
            lambda: f"::ffff:{en.ipv4_public()}",
            lambda: f"2a00:{rng.randint(0x1000, 0xffff):x}:{rng.randint(0, 0xffff):x}:{rng.randint(0, 0xffff):x}:{rng.randint(0, 0xffff):x}:{rng.randint(0, 0xffff):x}:{rng.randint(0, 0xffff):x}:{rng.randint(1, 0xffff):x}",
        ])()
    before, after = rng.choice([
        ("The request came from ", " at 10:42."),
        ("client_ip=", " method=GET path=/v1/chat"),
        ("connect to ", " and retry."),
        ("\"remote_addr\": \"", "\""),
        ("blocked host [", "]:443 twice"),
    ])
    return embed("ip_address", before, value, after)


def gen_openai():
    value = rng.choice([
        lambda: "sk-" + mixed(ALNUM, 48),
        lambda: "sk-proj-" + mixed(B64URL, rng.randint(120, 160)),
        lambda: "sk-svcacct-" + mixed(B64URL, rng.randint(80, 120)),
        lambda: "sk-proj-" + mixed(ALNUM, 48),
    ])()
    before, after = rng.choice([
        ("My OpenAI key is ", ", why does it fail?"),
        ("OPENAI_API_KEY=", "\n"),
        ("client = OpenAI(api_key=\"", "\")"),
        ("export OPENAI_API_KEY='", "'"),
    ])
    return embed("openai_api_key", before, value, after)


def gen_anthropic():
    value = "sk-ant-" + rng.choice(["api03-", "admin01-"]) + mixed(B64URL, 93) + "AA"
    before, after = rng.choice([
        ("ANTHROPIC_API_KEY=", "\n"),
        ("client = anthropic.Anthropic(api_key=\"", "\")"),
        ("here is my key ", " please debug"),
        ("x-api-key: ", "\r\n"),
    ])
    return embed("anthropic_api_key", before, value, after)


def gen_aws_key_id():
    value = rng.choice(["AKIA", "ASIA"]) + rand(string.ascii_uppercase + "234567", 16)
    before, after = rng.choice([
        ("aws_access_key_id = ", "\n"),
        ("AWS_ACCESS_KEY_ID=", " ./deploy.sh"),
        ("the access key ", " was rotated"),
        ("\"AccessKeyId\": \"", "\""),
    ])
    return embed("aws_access_key_id", before, value, after)


def gen_aws_secret():
    value = mixed(B64, 40)
    before, after = rng.choice([
        ("aws_secret_access_key = ", "\n"),
        ("AWS_SECRET_ACCESS_KEY=", " terraform apply"),
        ("\"SecretAccessKey\": \"", "\""),
        ("my aws secret key is ", ", keep it safe"),
        ("secret: ", "  # aws"),
    ])
    return embed("aws_secret_access_key", before, value, after)


def gen_github():
    value = rng.choice([
        lambda: rng.choice(["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]) + mixed(ALNUM, 36),
        lambda: "github_pat_" + mixed(ALNUM, 22) + "_" + mixed(ALNUM, 59),
    ])()
    before, after = rng.choice([
        ("GITHUB_TOKEN=", "\n"),
        ("git clone https://", "@github.com/org/repo.git"),
        ("token ", " has repo scope"),
        ("\"token\": \"", "\""),
    ])
    return embed("github_token", before, value, after)


def gen_gitlab():
    value = "glpat-" + mixed(B64URL, 20)
    before, after = rng.choice([
        ("PRIVATE-TOKEN: ", "\n"),
        ("GITLAB_TOKEN=", " glab mr list"),
        ("use ", " for the registry"),
    ])
    return embed("gitlab_token", before, value, after)


def gen_slack_token():
    value = "xox" + rng.choice("abprs") + "-" + f"{rng.randint(10**11, 10**12 - 1)}-{rng.randint(10**12, 10**13 - 1)}-" + mixed(ALNUM, 24)
    before, after = rng.choice([
        ("SLACK_BOT_TOKEN=", "\n"),
        ("slack token ", " expired"),
        ("\"token\": \"", "\""),
    ])
    return embed("slack_token", before, value, after)


def gen_slack_webhook():
    value = f"https://hooks.slack.com/services/T{rand(UPPER_DIGITS, rng.randint(8, 10))}/B{rand(UPPER_DIGITS, rng.randint(8, 10))}/{mixed(ALNUM, 24)}"
    before, after = rng.choice([
        ("post alerts to ", " please"),
        ("SLACK_WEBHOOK_URL=", "\n"),
        ("curl -X POST -d @msg.json ", ""),
        ("\"webhook\": \"", "\""),
    ])
    return embed("slack_webhook", before, value, after)


def gen_stripe():
    value = rng.choice(["sk_live_", "sk_test_", "rk_live_", "rk_test_"]) + mixed(ALNUM, rng.choice([24, 99]))
    before, after = rng.choice([
        ("stripe.api_key = \"", "\""),
        ("STRIPE_SECRET_KEY=", "\n"),
        ("the key ", " returns 401"),
    ])
    return embed("stripe_key", before, value, after)


def gen_google():
    value = "AIza" + mixed(B64URL, 35)
    before, after = rng.choice([
        ("GOOGLE_API_KEY=", "\n"),
        ("https://maps.googleapis.com/maps/api/geocode/json?address=Paris&key=", ""),
        ("genai.configure(api_key=\"", "\")"),
        ("my gemini key ", " stopped working"),
    ])
    return embed("google_api_key", before, value, after)


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def gen_jwt():
    header = rng.choice([
        {"alg": "HS256", "typ": "JWT"},
        {"alg": "RS256", "typ": "JWT", "kid": rand(ALNUM, 16)},
        {"typ": "JWT", "alg": "ES256"},
        {"alg": "HS512"},
    ])
    payload = {"sub": str(rng.randint(1, 10**9)), "name": en.name(), "iat": rng.randint(1600000000, 1800000000)}
    if rng.random() < 0.5:
        payload["email_verified"] = True
        payload["scope"] = "read write"
    sig = b64url(bytes(rng.randrange(256) for _ in range(rng.choice([32, 64, 256]))))
    value = f"{b64url(json.dumps(header, separators=(',', ':')).encode())}.{b64url(json.dumps(payload).encode())}.{sig}"
    before, after = rng.choice([
        ("id_token=", "&state=xyz"),
        ("the session cookie is ", ", decode it"),
        ("\"access_token\": \"", "\""),
        ("jwt: ", "\n"),
    ])
    return embed("jwt", before, value, after)


def gen_bearer():
    while True:
        tok = mixed(ALNUM + "-._~", rng.randint(24, 64))
        if not tok.startswith(("eyJ", "sk", "gh", "gl", "xox", "AIza", "AKIA", "ASIA", "rk")):
            break
    before, after = rng.choice([
        ("Authorization: Bearer ", "\r\n"),
        ("curl -H \"Authorization: Bearer ", "\" https://api.example.com/v1"),
        ("headers = {\"Authorization\": \"Bearer ", "\"}"),
        ("authorization: bearer ", "\n"),
    ])
    return embed("bearer_token", before, tok, after)


def gen_basic():
    user = en.user_name()
    pw = mixed(ALNUM + "!#$%^&*", rng.randint(8, 20))
    tok = base64.b64encode(f"{user}:{pw}".encode()).decode()
    before, after = rng.choice([
        ("Authorization: Basic ", "\r\n"),
        ("curl -H 'Authorization: Basic ", "' https://registry.example.com"),
        ("auth header was basic ", " and it failed"),
    ])
    return embed("basic_auth", before, tok, after)


def gen_pem():
    label = rng.choice(["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "DSA PRIVATE KEY"])
    lines = rng.randint(3, 25)
    body = "\n".join(rand(B64, 64) for _ in range(lines)) + "\n" + rand(B64, rng.randint(4, 60)) + rng.choice(["", "=", "=="])
    value = f"-----BEGIN {label}-----\n{body}\n-----END {label}-----"
    if rng.random() < 0.2:
        value = value.replace("\n", "\r\n")
    before, after = rng.choice([
        ("Here is my key, why does ssh reject it?\n", "\n"),
        ("key.pem:\n```\n", "\n```"),
        ("private_key: |\n", "\nport: 22"),
    ])
    return embed("private_key", before, value, after)


def gen_url_password():
    scheme, host, tail = rng.choice([
        ("postgres", f"db.{en.domain_name()}:5432", "/app"),
        ("postgresql", "localhost", "/orders?sslmode=require"),
        ("mysql", f"{en.domain_word()}.internal:3306", "/shop"),
        ("mongodb+srv", f"cluster0.{rand(string.ascii_lowercase, 5)}.mongodb.net", "/?retryWrites=true"),
        ("redis", "cache:6379", "/0"),
        ("amqp", "rabbit.local:5672", "/vhost"),
        ("https", f"{en.domain_name()}", "/private/feed.xml"),
        ("ftp", f"files.{en.domain_name()}", "/pub"),
    ])
    user = "" if scheme == "redis" and rng.random() < 0.5 else rng.choice([en.user_name(), "admin", "app", "root"])
    pw = mixed(ALNUM + "!$*-_.~", rng.randint(6, 24))
    value = [(f"{scheme}://{user}:", False), (pw, True), (f"@{host}{tail}", False)]
    before, after = rng.choice([
        ("DATABASE_URL=", "\n"),
        ("connect with ", " and run the migration"),
        ("\"dsn\": \"", "\""),
    ])
    return embed("url_password", before, value, after)


GENERATORS = [
    ("email", lambda i: gen_email()),
    ("phone", lambda i: gen_phone()),
    ("credit_card", gen_card),
    ("iban", lambda i: gen_iban()),
    ("us_ssn", lambda i: gen_ssn()),
    ("ip_address", gen_ip),
    ("openai_api_key", lambda i: gen_openai()),
    ("anthropic_api_key", lambda i: gen_anthropic()),
    ("aws_access_key_id", lambda i: gen_aws_key_id()),
    ("aws_secret_access_key", lambda i: gen_aws_secret()),
    ("github_token", lambda i: gen_github()),
    ("gitlab_token", lambda i: gen_gitlab()),
    ("slack_token", lambda i: gen_slack_token()),
    ("slack_webhook", lambda i: gen_slack_webhook()),
    ("stripe_key", lambda i: gen_stripe()),
    ("google_api_key", lambda i: gen_google()),
    ("jwt", lambda i: gen_jwt()),
    ("bearer_token", lambda i: gen_bearer()),
    ("basic_auth", lambda i: gen_basic()),
    ("private_key", lambda i: gen_pem()),
    ("url_password", lambda i: gen_url_password()),
]

COUNTS = {"phone": 320, "credit_card": 280, "ip_address": 300, "email": 260}


def pii_samples():
    out = []
    for kind, gen in GENERATORS:
        for i in range(COUNTS.get(kind, PER_TYPE)):
            s = gen(i)
            out.append({"id": f"{kind}/{i:04d}", "type": kind, "text": s.text(), "spans": s.spans})
    # a few mixed samples: several types in one prompt
    for i in range(60):
        s = Sample()
        s.add(sentence() + " ")
        picks = rng.sample(GENERATORS, 3)
        for kind, gen in picks:
            inner = gen(i)
            base = s.at
            s.add(inner.text())
            s.spans.extend([[a + base, b + base, k] for a, b, k in inner.spans])
            s.add("\n")
        out.append({"id": f"mixed/{i:04d}", "type": "mixed", "text": s.text(), "spans": s.spans})
    return out


# ---------------------------------------------------------------- clean technical text

PY = [
    "def handler(event, context):\n    body = json.loads(event['body'])\n    return {'statusCode': 200, 'body': json.dumps({'ok': True, 'n': len(body)})}\n",
    "for i in range(1, 101):\n    print('FizzBuzz' if i % 15 == 0 else 'Fizz' if i % 3 == 0 else 'Buzz' if i % 5 == 0 else i)\n",
    "import numpy as np\nx = np.linspace(0, 2 * np.pi, 1000)\ny = np.sin(x) * 0.5 + 0.25\nprint(y.mean(), y.std())\n",
    "class LRU(OrderedDict):\n    def __init__(self, maxsize=128):\n        super().__init__()\n        self.maxsize = maxsize\n",
    "@app.get('/v1/users/{user_id}')\nasync def get_user(user_id: int, db: Session = Depends(get_db)):\n    return db.query(User).filter(User.id == user_id).first()\n",
    "secret_name = os.environ.get('SECRET_NAME', 'prod/app/config')\nclient = boto3.client('secretsmanager', region_name='eu-west-1')\n",
]
RS = [
    "fn main() {\n    let v: Vec<u64> = (1..=20).map(|x| x * x).collect();\n    println!(\"{:?} {}\", v, v.iter().sum::<u64>());\n}\n",
    "impl std::fmt::Display for Error {\n    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {\n        write!(f, \"error {}: {}\", self.code, self.msg)\n    }\n}\n",
    "let addr: std::net::SocketAddr = ([127, 0, 0, 1], 8080).into();\nlet listener = tokio::net::TcpListener::bind(addr).await?;\n",
    "#[derive(Debug, Clone, serde::Deserialize)]\npub struct Config { pub workers: usize, pub timeout_ms: u64 }\n",
]
GO = [
    "func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {\n\tctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)\n\tdefer cancel()\n\ts.mux.ServeHTTP(w, r.WithContext(ctx))\n}\n",
    "if err := db.QueryRowContext(ctx, \"SELECT count(*) FROM orders WHERE created_at > $1\", since).Scan(&n); err != nil {\n\treturn 0, fmt.Errorf(\"count: %w\", err)\n}\n",
]
JS = [
    "const res = await fetch(`/api/items?page=${page}&limit=50`, { headers: { 'Content-Type': 'application/json' } });\nconst { items, total } = await res.json();\n",
    "export default function Button({ label, onClick }) {\n  return <button className=\"btn btn-primary px-4 py-2\" onClick={onClick}>{label}</button>;\n}\n",
    "npm install lodash@4.17.21 react@18.2.0 @types/node@20.11.5 --save-exact\n",
]
SQL = [
    "SELECT o.id, o.total_cents / 100.0 AS total, c.country\nFROM orders o JOIN customers c ON c.id = o.customer_id\nWHERE o.created_at >= '2024-01-01' AND o.status IN ('paid', 'shipped')\nORDER BY total DESC LIMIT 25;\n",
    "CREATE INDEX CONCURRENTLY idx_events_ts ON events USING brin (ts) WITH (pages_per_range = 32);\n",
]
YAML = [
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: collector\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: otelcol\n          image: otel/opentelemetry-collector-contrib:0.115.1\n          ports:\n            - containerPort: 4317\n          resources:\n            limits: {cpu: 500m, memory: 512Mi}\n",
    "processors:\n  batch:\n    send_batch_size: 8192\n    timeout: 200ms\n  memory_limiter:\n    check_interval: 1s\n    limit_percentage: 80\n",
]
PROSE = [
    "The p99 latency dropped from 840 ms to 212 ms after we moved the cache in front of the tokenizer.",
    "Release 3.2 ships on the 14th; the migration takes about 45 minutes for a 1.5 TB database.",
    "We processed 12,480,331 spans yesterday, 0.03% of them with errors, mostly timeouts on port 443.",
    "Set the retry budget to 3 attempts with exponential backoff starting at 250 ms and capped at 10 s.",
    "The model scored 87.5 on the benchmark, up 2.3 points from the previous checkpoint.",
    "Chapter 7, verse 14 of the manual covers the 2-phase commit protocol in 3 pages.",
    "In Q3 2024 revenue grew 18% to $4.2M while churn fell to 1.9%.",
]


def hexs(n):
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def invalid_phone():
    return rng.choice([
        lambda: f"({rng.randint(0, 1)}{rng.randint(0, 9)}{rng.randint(0, 9)}) {rng.randint(200, 999)}-{rng.randint(0, 9999):04d}",  # NPA 0xx/1xx
        lambda: f"{rng.randint(200, 999)}-{rng.randint(0, 1)}{rng.randint(10, 99)}-{rng.randint(0, 9999):04d}",  # NXX 0xx/1xx
        lambda: f"{rng.randint(2, 9)}11-{rng.randint(200, 999)}-{rng.randint(0, 9999):04d}",  # N11 area code
        lambda: f"{rng.randint(2, 9)}9{rng.randint(0, 9)}-{rng.randint(200, 999)}-{rng.randint(0, 9999):04d}",  # x9x area code
        lambda: f"+{rng.choice([28, 83, 89])}{rng.randint(0, 9)} {rng.randint(100, 999)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",  # unassigned
        lambda: f"+{rng.choice([210, 214, 259, 424, 693, 801, 969, 999])} {rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",  # unassigned
        lambda: f"+1 {rng.randint(200, 999)} {rng.randint(200, 999)} {rng.randint(0, 999):03d}",  # too short
        lambda: f"+33 {rng.randint(1, 9)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",  # France, 7 digits
        lambda: f"{rng.randint(200, 999)}-{rng.randint(0, 9999):04d}",  # 7 digits, no area code
        lambda: f"{rng.randint(2000000000, 9999999999)}",  # 10 digits, no separators
    ])()


def non_luhn_16():
    while True:
        n = rng.choice(["4", "5", "6", "3", "1", "9"]) + "".join(rng.choice(string.digits) for _ in range(15))
        if not luhn_ok(n):
            return rng.choice([n, " ".join(n[i:i + 4] for i in range(0, 16, 4)), "-".join(n[i:i + 4] for i in range(0, 16, 4))])


def clean_samples():
    cats = {
        "code/python": lambda: rng.choice(PY),
        "code/rust": lambda: rng.choice(RS),
        "code/go": lambda: rng.choice(GO),
        "code/js": lambda: rng.choice(JS),
        "code/sql": lambda: rng.choice(SQL),
        "code/yaml": lambda: rng.choice(YAML),
        "prose": lambda: rng.choice(PROSE) + " " + en.sentence(nb_words=10),
        "uuid": lambda: f"request_id={uuid.UUID(int=rng.getrandbits(128), version=4)} trace={hexs(32)} span={hexs(16)}",
        "git_sha": lambda: f"commit {hexs(40)}\nMerge: {hexs(7)} {hexs(7)}\nDate:   {dt().strftime('%a %b %d %H:%M:%S %Y')} +0000\n\n    fix: handle {en.word()} ({hexs(7)})",
        "sha256": lambda: f"sha256:{hashlib.sha256(rng.randbytes(16)).hexdigest()}  {en.file_name()}",
        "timestamp": lambda: rng.choice([
            lambda: dt().isoformat(),
            lambda: dt().strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] + "Z",
            lambda: dt().strftime("%a, %d %b %Y %H:%M:%S GMT"),
            lambda: f"ts={rng.randint(1600000000, 1800000000)}.{rng.randint(0, 999999):06d}",
            lambda: f"{rng.randint(1600000000000, 1800000000000)} ms since epoch",
            lambda: dt().strftime("%d/%m/%Y %H:%M"),
        ])(),
        "date": lambda: f"due {dt().date().isoformat()} (week {rng.randint(1, 52)}), shipped {dt().date().isoformat()}",
        "version": lambda: rng.choice([
            f"v{rng.randint(0, 3)}.{rng.randint(0, 40)}.{rng.randint(0, 30)}",
            f"python {rng.randint(2, 3)}.{rng.randint(6, 13)}.{rng.randint(0, 12)}",
            f"Windows 10.0.{rng.randint(10000, 22631)}.{rng.randint(1, 3000)}",
            f"build {rng.randint(1, 9)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}-rc.{rng.randint(1, 5)}+{hexs(7)}",
            f"kernel {rng.randint(4, 6)}.{rng.randint(0, 19)}.{rng.randint(0, 200)}-{rng.randint(1, 100)}-generic",
            f"chrome/{rng.randint(100, 131)}.0.{rng.randint(1000, 6999)}.{rng.randint(10, 200)}",
        ]),
        "semver": lambda: f"bump {en.word()} from {rng.randint(0, 9)}.{rng.randint(0, 99)}.{rng.randint(0, 99)} to {rng.randint(0, 9)}.{rng.randint(0, 99)}.{rng.randint(0, 99)}-beta.{rng.randint(1, 9)}",
        "order_number": lambda: rng.choice([
            f"Order #{rng.randint(100000, 99999999)} confirmed",
            f"ORD-{rng.randint(2019, 2025)}-{rng.randint(0, 999999):06d}",
            f"PO {rng.randint(4500000000, 4599999999)} / invoice INV-{rng.randint(10000, 99999)}",
            f"tracking 1Z{rand(UPPER_DIGITS, 16)}",
            f"ticket JIRA-{rng.randint(100, 99999)} and case {rng.randint(10**7, 10**8)}",
        ]),
        "price": lambda: f"{en.word()} costs ${rng.randint(1, 9999):,}.{rng.randint(0, 99):02d} (EUR {rng.randint(1, 9999)},{rng.randint(0, 99):02d}), total {rng.randint(1000, 99999999):,} USD",
        "base64": lambda: rng.choice([
            lambda: f"data:image/png;base64,{base64.b64encode(rng.randbytes(rng.randint(30, 120))).decode()}",
            lambda: f"payload: {base64.b64encode(json.dumps({'user': en.word(), 'n': rng.randint(1, 99)}).encode()).decode()}",
            lambda: f"checksum {base64.b64encode(rng.randbytes(30)).decode()}",
            lambda: f"nonce={base64.urlsafe_b64encode(rng.randbytes(24)).decode()}",
        ])(),
        "phone_like_invalid": lambda: f"{rng.choice(['ref', 'code', 'call id', 'ext', 'number'])} {invalid_phone()}",
        "digits16_non_luhn": lambda: f"{rng.choice(['account', 'record', 'serial', 'id'])} {non_luhn_16()}",
        "isbn": lambda: f"ISBN 978-{rng.randint(0, 1)}-{rng.randint(10, 99)}-{rng.randint(100000, 999999)}-{rng.randint(0, 9)}",
        "url": lambda: f"https://{en.domain_name()}/{en.uri_path()}?page={rng.randint(1, 50)}&sort=desc#section-{rng.randint(1, 9)}",
        "path": lambda: rng.choice([f"/var/log/{en.word()}/{en.file_name()}", f"C:\\Users\\Public\\{en.file_name()}", f"s3://bucket-{rng.randint(1, 999)}/{en.uri_path()}/part-{rng.randint(0, 99999):05d}.parquet"]),
        "log_line": lambda: f"{dt().isoformat()} INFO  [{rand(string.ascii_lowercase, 6)}-{rng.randint(1, 9)}] GET /api/v{rng.randint(1, 3)}/{en.word()} 200 {rng.randint(1, 999)}ms bytes={rng.randint(100, 99999)}",
        "metrics": lambda: f"cpu={rng.uniform(0, 100):.2f}% mem={rng.randint(100, 16000)}Mi rps={rng.uniform(0, 5000):.1f} p95={rng.randint(1, 2000)}ms gc_pause=0.{rng.randint(1, 999):03d}s",
        "hex_color": lambda: f"color: #{hexs(6)}; background: rgba({rng.randint(0, 255)}, {rng.randint(0, 255)}, {rng.randint(0, 255)}, 0.{rng.randint(1, 9)})",
        "mac": lambda: ":".join(hexs(2) for _ in range(6)),
        "math": lambda: f"{rng.randint(100, 9999)} * {rng.randint(100, 9999)} = {rng.randint(10**5, 10**8)}; sqrt(2) = 1.4142135623730951; pi = 3.141592653589793",
        "json": lambda: json.dumps({"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "count": rng.randint(0, 10**6), "ratio": rng.random(), "tags": [en.word() for _ in range(3)], "created": dt().isoformat()}),
        "genai_messages": lambda: json.dumps([
            {"role": "system", "parts": [{"type": "text", "content": "You are a helpful coding assistant."}]},
            {"role": "user", "parts": [{"type": "text", "content": f"Why does my loop over range({rng.randint(1, 1000)}) take {rng.randint(1, 99)} ms? {en.sentence()}"}]},
        ]),
        "ssh_remote": lambda: f"git remote add origin git@github.com:{en.user_name()}/{en.word()}.git",
        "port": lambda: f"listening on localhost:{rng.randint(1024, 65535)} on all interfaces; upstream {en.domain_name()}:{rng.choice([80, 443, 8443])}",
        "aws_words": lambda: f"The AWS Lambda function {en.word()}-{rng.randint(1, 99)} reads a secret from Secrets Manager version {uuid.UUID(int=rng.getrandbits(128), version=4)}.",
        "python_slice": lambda: rng.choice([
            f"evens = a[{rng.randint(0, 9)}::2]; odds = a[1::2]; rev = s[::-1]",
            f"x[::{rng.randint(2, 9)}] and y[{rng.randint(1, 9)}:{rng.randint(10, 99)}:{rng.randint(1, 5)}]",
            f"matrix[:, {rng.randint(0, 9)}::{rng.randint(2, 4)}]",
        ]),
        "four_part_version": lambda: rng.choice([
            f"AssemblyVersion(\"{rng.randint(1, 9)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}\")",
            f"upgrade to version {rng.randint(1, 20)}.{rng.randint(0, 20)}.{rng.randint(0, 99)}.{rng.randint(0, 255)} today",
            f"Build {rng.randint(1, 9)}.{rng.randint(0, 9)}.{rng.randint(0, 99)}.{rng.randint(0, 200)} is out",
            f"release v{rng.randint(1, 9)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}",
        ]),
        "http": lambda: f"HTTP/1.1 {rng.choice([200, 201, 301, 404, 503])} OK\r\nContent-Length: {rng.randint(0, 99999)}\r\nRetry-After: {rng.randint(1, 120)}\r\nX-RateLimit-Reset: {rng.randint(1600000000, 1800000000)}",
        "geo": lambda: f"lat {rng.uniform(-90, 90):.6f}, lng {rng.uniform(-180, 180):.6f}; elevation {rng.randint(0, 4000)} m",
        "secret_words": lambda: rng.choice([
            f"fix: rotate the secret handling in {en.word()}.py (commit {hexs(40)})",
            f"kubectl create secret generic {en.word()} --from-file=./{en.file_name()}",
            f"The AWS bill was ${rng.randint(100, 9999)}.{rng.randint(0, 99):02d} for account alias {en.word()}-{rng.randint(1, 99)}; secret sauce: caching.",
            f"aws s3 cp s3://{en.word()}-bucket/{hexs(40)}.tar.gz . --region eu-west-{rng.randint(1, 3)}",
        ]),
        "placeholder_keys": lambda: rng.choice([
            "OPENAI_API_KEY=sk-your-api-key-here", "Authorization: Bearer <token>", "Authorization: Bearer ${TOKEN}",
            "api_key = \"YOUR_API_KEY\"", "Basic usage: call init() first", "bearer authentication is required",
            "postgres://user@localhost/db", "export GITHUB_TOKEN=ghp_xxx", "Set AWS_SECRET_ACCESS_KEY in your environment",
        ]),
    }
    out = []
    per = 100
    for cat, gen in cats.items():
        for i in range(per):
            out.append({"id": f"{cat}/{i:04d}", "category": cat, "text": gen()})
    return out


def write(path, rows):
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    return path, data


def main():
    outputs = [
        write(os.path.join(HERE, "pii.jsonl"), pii_samples()),
        write(os.path.join(HERE, "clean.jsonl"), clean_samples()),
    ]
    check = "--check" in sys.argv
    stale = False
    for path, data in outputs:
        if check:
            with open(path, encoding="utf-8") as f:
                if f.read() != data:
                    print(f"{path} is out of date", file=sys.stderr)
                    stale = True
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(data)
            print(f"wrote {path}: {data.count(chr(10))} samples, {len(data.encode())} bytes")
    sys.exit(1 if stale else 0)


if __name__ == "__main__":
    main()
