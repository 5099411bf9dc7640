#!/usr/bin/env python3
"""Generate locales.jsonl: phone and card numbers as Faker writes them in nine locales, inside
prompt sentences of that locale, for tests/locales.rs (recall per locale and type).

    python3 -m venv /tmp/pii-venv && /tmp/pii-venv/bin/pip install faker==40.54.0
    /tmp/pii-venv/bin/python make_locales.py           # writes locales.jsonl here
    /tmp/pii-venv/bin/python make_locales.py --check   # exits 1 if it differs

Unlike make_corpus.py, which builds every value valid by construction, the values here are
Faker's own (`phone_number()`, `credit_card_number()` of each card type): the formats a user
of that locale writes, including the ones that break a numbering plan (Faker's de_DE
`00008063608`) -- a phone written in a prompt is personal data whether or not it is dialable.
Each sample is a prompt: sentences of the locale, then a sentence that gives the number the way
people do (mostly after a contact cue in the locale's language -- "reach me on", "Handy",
"portable", "móvil", "cellulare", "celular", "携帯", "मोबाइल" -- sometimes after the name only),
then more sentences. Deterministic (fixed seeds).

{"id": "de_DE/phone/0007", "locale": "de_DE", "type": "phone", "text": "...", "spans": [[start, end, "phone"]]}
spans are UTF-8 byte offsets, end exclusive.
"""
import json
import os
import random
import sys

if os.environ.get("PYTHONHASHSEED") != "0":
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

from faker import Faker  # noqa: E402

SEED = 20261203
HERE = os.path.dirname(os.path.abspath(__file__))
PER_LOCALE = 200  # phones and cards each

# How people of each locale hand out a phone number in a message: {p} is the number, {n} a
# name. Most carry a cue word of the language; the last ones only a name or a signature.
PHONE_SENTENCES = {
    "en": [
        "Please call me back at {p} tomorrow morning.",
        "You can reach me on {p} after 5pm.",
        "Contact me at {p} if the delivery is late.",
        "My mobile is {p}, text me anytime.",
        "Message me on WhatsApp: {p}",
        "Tel: {p}",
        "Phone {p} (office hours only).",
        "My number is {p}.",
        "Ring me on {p} when you land.",
        "Best regards, {n}, {p}",
    ],
    "de": [
        "Rufen Sie mich bitte unter {p} zurück.",
        "Meine Handynummer ist {p}.",
        "Telefon: {p}",
        "Sie erreichen mich unter {p} ab 17 Uhr.",
        "Tel. {p}",
        "Bitte kontaktieren Sie mich unter {p}.",
        "Mobil: {p}",
        "Schreib mir auf WhatsApp: {p}",
        "Mit freundlichen Grüßen, {n}, {p}",
    ],
    "fr": [
        "Appelez-moi au {p} demain matin.",
        "Mon numéro de portable est le {p}.",
        "Tél. : {p}",
        "Vous pouvez me joindre au {p} après 17h.",
        "Contactez-moi au {p} si la livraison est en retard.",
        "Mon numéro : {p}",
        "Écrivez-moi sur WhatsApp au {p}",
        "Cordialement, {n}, {p}",
    ],
    "es": [
        "Llámame al {p} mañana por la mañana.",
        "Mi número de móvil es {p}.",
        "Teléfono: {p}",
        "Puedes contactarme en el {p} después de las cinco.",
        "Escríbeme por WhatsApp al {p}",
        "Tel. {p}",
        "Un saludo, {n}, {p}",
    ],
    "it": [
        "Chiamami al {p} domani mattina.",
        "Il mio numero di cellulare è {p}.",
        "Telefono: {p}",
        "Puoi contattarmi al {p} dopo le 17.",
        "Tel. {p}",
        "Scrivimi su WhatsApp al {p}",
        "Cordiali saluti, {n}, {p}",
    ],
    "pt": [
        "Me liga no {p} amanhã cedo.",
        "Meu celular é {p}.",
        "Telefone: {p}",
        "Pode me chamar no WhatsApp {p}",
        "Contato: {p}",
        "Tel. {p}",
        "Abraços, {n}, {p}",
    ],
    "ja": [
        "電話番号は{p}です。",
        "携帯：{p}",
        "{p}までお電話ください。",
        "連絡先 {p}",
        "TEL {p}",
        "ご連絡は {p} までお願いします。",
        "{n} {p}",
    ],
    "hi": [
        "Call me on {p} after 6pm.",
        "My mobile number is {p}.",
        "मेरा मोबाइल नंबर {p} है।",
        "फ़ोन: {p}",
        "WhatsApp me at {p}",
        "संपर्क करें: {p}",
        "Regards, {n}, {p}",
    ],
}

CARD_SENTENCES = {
    "en": ["My card number is {c}, expiry 04/29.", "Charge it to {c} please.", "card: {c}"],
    "de": ["Meine Kartennummer lautet {c}.", "Bitte buchen Sie von {c} ab.", "Karte: {c}"],
    "fr": ["Mon numéro de carte est le {c}.", "Débitez la carte {c} s'il vous plaît.", "Carte : {c}"],
    "es": ["El número de mi tarjeta es {c}.", "Cóbralo a la tarjeta {c}.", "Tarjeta: {c}"],
    "it": ["Il numero della mia carta è {c}.", "Addebitate sulla carta {c}.", "Carta: {c}"],
    "pt": ["O número do meu cartão é {c}.", "Pode cobrar no cartão {c}.", "Cartão: {c}"],
    "ja": ["カード番号は{c}です。", "{c}のカードで支払います。", "カード：{c}"],
    "hi": ["मेरा कार्ड नंबर {c} है।", "Please charge card {c}.", "Card no. {c}"],
}

CARD_TYPES = ["amex", "diners", "discover", "jcb15", "jcb16", "maestro", "mastercard", "visa13", "visa16", "visa19"]
LOCALES = ["en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "pt_BR", "ja_JP", "hi_IN"]


def grouped(digits, rng):
    """A card as people type it: as is, or in groups of 4 (Amex 4-6-5) with spaces or dashes."""
    style = rng.randrange(3)
    if style == 0:
        return digits
    sep = " " if style == 1 else "-"
    if len(digits) == 15 and digits[0] == "3":
        parts = [digits[:4], digits[4:10], digits[10:]]
    else:
        parts = [digits[i:i + 4] for i in range(0, len(digits), 4)]
    return sep.join(parts)


def sample(fk, rng, lang, template, value, kind, key):
    before = " ".join(fk.sentence() for _ in range(rng.randint(0, 2)))
    after = " ".join(fk.sentence() for _ in range(rng.randint(0, 2)))
    sentence = template.replace("{n}", fk.name())
    head, tail = sentence.split(key)
    sep = "" if lang == "ja" else " "
    prefix = (before + sep if before else "") + head
    text = prefix + value + tail + ((sep + after) if after else "")
    start = len(prefix.encode())
    return text, [[start, start + len(value.encode()), kind]]


def samples():
    rng = random.Random(SEED)
    out = []
    for li, loc in enumerate(LOCALES):
        fk = Faker(loc)
        fk.seed_instance(SEED + li)
        lang = loc[:2]
        for i in range(PER_LOCALE):
            phone = fk.phone_number()
            t = PHONE_SENTENCES[lang][i % len(PHONE_SENTENCES[lang])]
            text, spans = sample(fk, rng, lang, t, phone, "phone", "{p}")
            out.append({"id": f"{loc}/phone/{i:04d}", "locale": loc, "type": "phone", "text": text, "spans": spans})
        for i in range(PER_LOCALE):
            card = grouped(fk.credit_card_number(card_type=CARD_TYPES[i % len(CARD_TYPES)]), rng)
            t = CARD_SENTENCES[lang][i % len(CARD_SENTENCES[lang])]
            text, spans = sample(fk, rng, lang, t, card, "credit_card", "{c}")
            out.append({"id": f"{loc}/credit_card/{i:04d}", "locale": loc, "type": "credit_card", "text": text, "spans": spans})
    return "".join(json.dumps(s, ensure_ascii=False) + "\n" for s in out)


def main():
    path = os.path.join(HERE, "locales.jsonl")
    data = samples()
    if "--check" in sys.argv:
        with open(path, encoding="utf-8") as f:
            if f.read() != data:
                print(f"{path} is out of date", file=sys.stderr)
                sys.exit(1)
        return
    with open(path, "w", encoding="utf-8") as f:
        f.write(data)
    print(f"wrote {path}: {data.count(chr(10))} samples, {len(data.encode())} bytes")


if __name__ == "__main__":
    main()
