#!/usr/bin/env python3
"""Generate the token-counting test corpus (corpus.jsonl).

Deterministic: a fixed seed and hand-written generators only (standard library,
no Faker), so the output is byte-identical on every Python >= 3.8.

    python3 make_corpus.py            # writes corpus.jsonl next to this script
    python3 make_corpus.py --check    # exits 1 if corpus.jsonl is not what it would write

Each line is {"id": "<category>/<name>", "text": "..."}; ids are unique and stable.
Categories: empty, prose, code/{python,rust,json,sql,js,html,shell}, cjk/{zh,ja,ko},
emoji, script/{ar,hi,ru,he,th,el,mixed}, ws (whitespace runs up to 20k), repeat,
long (~100 KB each), url, number, special (special-token-looking strings that
must be counted as ordinary text), unicode (combining marks, NFC/NFD, controls),
random (random code points), misc (markdown, contractions, chat-ish text).
"""
import json
import os
import random
import sys

SEED = 20240611
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus.jsonl")

EN_SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "Observability is the ability to understand a system from the outside, by asking questions about it.",
    "Large language models are priced per token, so counting tokens precisely matters for cost reports.",
    "She said, \"I'll be there at 5 o'clock, don't wait for me.\"",
    "In 2023, the team shipped 1,247 releases; 98.6% of them passed every check.",
    "Wait... what?! That's not what we agreed on -- is it?",
    "OpenTelemetry defines traces, metrics and logs as its three main signals.",
    "We're testing contractions: you've, they'd, it's, we'll, I'm, THEY'RE, SHE'S.",
    "A collector receives, processes and exports telemetry data.",
    "Tokenizers split text into pieces with a regular expression before applying byte-pair merges.",
    "Mr. O'Neill paid $1,299.99 (incl. VAT) on 2024-02-29 at 23:59:59 UTC.",
    "Please summarize the following document in three bullet points.",
    "Error: connection reset by peer (os error 104) while reading response body.",
    "The mitochondria is the powerhouse of the cell; antidisestablishmentarianism is long.",
    "Naïve café owners in Zürich serve crème brûlée à la carte.",
]

WORDS = ("time person year way day thing man world life hand part child eye woman place work week "
         "case point government company number group problem fact be have do say get make go know take "
         "see come think look want give use find tell ask seem feel try leave call good new first last "
         "long great little own other old right big high different small large next early young important "
         "few public bad same able token model request response latency span trace collector pipeline "
         "prompt completion budget invoice anomaly gradient embedding vector cache shard replica").split()

PY_SNIPPETS = [
    'def fib(n: int) -> int:\n    """Return the n-th Fibonacci number."""\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n\n\nif __name__ == "__main__":\n    print([fib(i) for i in range(10)])\n',
    'import json\nfrom dataclasses import dataclass, field\n\n\n@dataclass\nclass Span:\n    name: str\n    attributes: dict = field(default_factory=dict)\n\n    def to_json(self) -> str:\n        return json.dumps({"name": self.name, "attributes": self.attributes}, indent=2)\n',
    'class Cache:\n\tdef __init__(self, size=128):\n\t\tself.size = size\n\t\tself._data = {}\n\n\tdef get(self, key, default=None):\n\t\treturn self._data.get(key, default)\n',
    'async def fetch_all(client, urls):\n    results = await asyncio.gather(*(client.get(u) for u in urls), return_exceptions=True)\n    return {u: r for u, r in zip(urls, results) if not isinstance(r, Exception)}\n',
    "x = [i ** 2 for i in range(100) if i % 3 == 0]  # squares of multiples of three\nprint(f\"{len(x)=} {sum(x)=:,}\")\n",
]

RS_SNIPPETS = [
    'use std::collections::HashMap;\n\nfn main() {\n    let mut counts: HashMap<&str, usize> = HashMap::new();\n    for w in "a b a c b a".split_whitespace() {\n        *counts.entry(w).or_insert(0) += 1;\n    }\n    println!("{counts:?}");\n}\n',
    '#[derive(Debug, Clone, PartialEq)]\npub struct Usage {\n    pub input_tokens: u64,\n    pub output_tokens: u64,\n}\n\nimpl Usage {\n    pub fn total(&self) -> u64 {\n        self.input_tokens.saturating_add(self.output_tokens)\n    }\n}\n',
    'pub fn count<\'a, I>(items: I) -> Result<usize, Box<dyn std::error::Error + Send + Sync>>\nwhere\n    I: IntoIterator<Item = &\'a str>,\n{\n    Ok(items.into_iter().map(str::len).sum())\n}\n',
    'unsafe extern "C" fn llmo_free(ptr: *mut u8, len: usize) {\n    if !ptr.is_null() {\n        drop(Vec::from_raw_parts(ptr, len, len));\n    }\n}\n',
    'match value {\n    Some(ref v) if v.len() > 0 => v.iter().fold(0u32, |acc, x| acc.wrapping_add(*x as u32)),\n    Some(_) | None => 0,\n}\n',
]

JSON_SNIPPETS = [
    json.dumps({"model": "gpt-4o", "messages": [{"role": "user", "content": "Hello!"}], "temperature": 0.2}),
    json.dumps({"id": "chatcmpl-9abc", "object": "chat.completion", "created": 1718000000,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hi there."}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 9, "completion_tokens": 3, "total_tokens": 12}}, indent=2),
    json.dumps({"resourceSpans": [{"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "api"}}]},
                "scopeSpans": [{"spans": [{"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174",
                "name": "chat gpt-4o", "kind": 3, "startTimeUnixNano": "1544712660000000000"}]}]}]}, indent=4),
    json.dumps({"nested": {"deeper": {"deepest": [1, 2.5, -3e10, True, False, None, "x"]}}, "unicode": "h\u00e9llo \u4e16\u754c"}, ensure_ascii=True),
    json.dumps([{"k": i, "v": "value-%d" % i} for i in range(40)]),
]

SQL_SNIPPETS = [
    "SELECT u.id, u.email, COUNT(o.id) AS orders\nFROM users u\nLEFT JOIN orders o ON o.user_id = u.id\nWHERE u.created_at >= '2024-01-01'\nGROUP BY u.id, u.email\nHAVING COUNT(o.id) > 5\nORDER BY orders DESC\nLIMIT 100;",
    "CREATE TABLE IF NOT EXISTS otel_traces (\n    Timestamp DateTime64(9) CODEC(Delta, ZSTD(1)),\n    TraceId String CODEC(ZSTD(1)),\n    SpanAttributes Map(LowCardinality(String), String)\n) ENGINE = MergeTree() ORDER BY (ServiceName, toUnixTimestamp(Timestamp));",
    "INSERT INTO prices (model, input_per_mtok, output_per_mtok) VALUES ('gpt-4o', 2.50, 10.00), ('gpt-4o-mini', 0.15, 0.60);",
    "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM t WHERE n < 10) SELECT sum(n) FROM t;",
    "update accounts set balance = balance - 100 where id = 42 and balance >= 100; -- transfer\ncommit;",
]

OTHER_CODE = {
    "js": "const sum = (xs) => xs.reduce((a, b) => a + b, 0);\nexport default async function handler(req, res) {\n  const { data } = await fetch(`https://api.example.com/v1/items?limit=${req.query.limit ?? 10}`).then(r => r.json());\n  res.status(200).json({ total: sum(data.map(d => d.price)) });\n}\n",
    "html": "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Test &amp; check</title></head>\n<body>\n  <div class=\"container\" id=\"main\">\n    <p>Hello, <b>world</b>!</p>\n  </div>\n</body>\n</html>\n",
    "shell": "#!/usr/bin/env bash\nset -euo pipefail\nfor f in *.log; do\n  grep -c 'ERROR' \"$f\" || true\ndone | awk '{s+=$1} END {print s}'\n",
    "go": "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tch := make(chan int, 3)\n\tgo func() { defer close(ch); for i := 0; i < 3; i++ { ch <- i } }()\n\tfor v := range ch {\n\t\tfmt.Println(v)\n\t}\n}\n",
    "diff": "diff --git a/src/lib.rs b/src/lib.rs\n--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1,3 +1,4 @@\n-fn a() {}\n+fn a() -> u8 { 1 }\n+\n fn b() {}\n",
}

ZH = ["人工智能正在改变我们的生活方式。", "今天天气很好，我们去公园散步吧！", "大型语言模型按照令牌数量计费。",
      "可观测性是理解系统内部状态的能力。", "请把下面的文档总结成三个要点。", "北京是中华人民共和国的首都。"]
JA = ["東京は日本の首都です。", "今日はいい天気ですね！", "トークン数を正確に数えることが重要です。",
      "お誕生日おめでとうございます。", "ひらがな、カタカナ、漢字が混ざった文章。", "ラーメンを食べに行きましょう。"]
KO = ["안녕하세요, 만나서 반갑습니다.", "오늘 날씨가 정말 좋네요!", "대규모 언어 모델은 토큰 단위로 과금됩니다.",
      "서울은 대한민국의 수도입니다.", "다음 문서를 세 줄로 요약해 주세요.", "한국어 형태소 분석은 어렵습니다."]
AR = ["مرحبا بالعالم! كيف حالك اليوم؟", "الذكاء الاصطناعي يغير طريقة عملنا.", "يتم احتساب تكلفة النماذج اللغوية حسب عدد الرموز."]
HI = ["नमस्ते दुनिया! आप कैसे हैं?", "कृत्रिम बुद्धिमत्ता हमारे जीवन को बदल रही है।", "भारत एक विशाल देश है जिसमें अनेक भाषाएँ बोली जाती हैं।"]
RU = ["Привет, мир! Как дела?", "Искусственный интеллект меняет нашу жизнь.", "Москва — столица Российской Федерации, ЁЛКИ-ПАЛКИ."]
HE = ["שלום עולם! מה שלומך היום?"]
TH = ["สวัสดีครับ ยินดีที่ได้รู้จัก ภาษาไทยไม่มีการเว้นวรรคระหว่างคำ"]
EL = ["Γειά σου Κόσμε! Η τεχνητή νοημοσύνη αλλάζει τον κόσμο."]

EMOJI = {
    "simple": "I love it 😀😃😄😁 so much 🎉🎉🎉!",
    "zwj_family": "Family: 👨‍👩‍👧‍👦 👩‍👩‍👦 👨‍👨‍👧‍👧",
    "zwj_prof": "Jobs: 👩‍💻 👨‍🚀 🧑‍🔬 👩🏽‍⚕️ 🏳️‍🌈 🏴‍☠️",
    "skin_tones": "👍👍🏻👍🏼👍🏽👍🏾👍🏿 wave 👋🏿",
    "flags": "Flags: 🇺🇸 🇯🇵 🇩🇪 🇫🇷 🇧🇷 🇮🇳 🇪🇺 🏴󠁧󠁢󠁳󠁣󠁴󠁿",
    "keycaps_vs16": "Keycaps 1️⃣2️⃣3️⃣#️⃣*️⃣ hearts ❤️❤︎♥️ ☺️☺",
    "only_emoji_run": "🔥" * 64,
    "mixed_text": "Deploy ✅ tests ❌ perf 📈 cost 💸 — see 👉 https://example.com 🙏",
}

SPECIAL = {
    "endoftext": "<|endoftext|>",
    "endoftext_in_text": "Some text<|endoftext|>more text after the end",
    "im_start_end": "<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
    "fim": "<|fim_prefix|>def add(a, b):<|fim_suffix|>    return c<|fim_middle|>",
    "endofprompt": "prompt<|endofprompt|>",
    "partial": "<|endof <|endoftext| |endoftext|> < |endoftext| > <||>",
    "repeated": "<|endoftext|>" * 50,
    "harmony_like": "<|start|>assistant<|channel|>analysis<|message|>thinking<|end|><|return|>",
    "llama_like": "<s>[INST] <<SYS>>\nsys\n<</SYS>>\n\nhello [/INST] hi </s><|begin_of_text|><|eot_id|>",
}

URLS = [
    "https://example.com/",
    "https://api.openai.com/v1/chat/completions?stream=true&model=gpt-4o",
    "See https://en.wikipedia.org/wiki/Byte_pair_encoding#Algorithm and http://localhost:4318/v1/traces.",
    "postgres://user:p%40ss@db.internal:5432/app?sslmode=require&application_name=collector",
    "https://例え.テスト/パス?q=検索&lang=ja#frag",
    "s3://bucket-name/path/to/object-2024-06-11T12:00:00Z.json.gz",
]

NUMBERS = {
    "ints": "0 1 12 123 1234 12345 123456 1234567 12345678 123456789 1234567890",
    "floats": "3.14159 2.71828 -0.000001 6.022e23 1e-9 +42.0 .5 5.",
    "long_digits": "31415926535897932384626433832795028841971693993751058209749445923078164062862089986280348253421170679",
    "grouped": "1,000,000 and 1.000.000 and 1 000 000 and 1_000_000",
    "phones": "+1 (555) 010-9999, +44 20 7946 0958, 0049-30-123456",
    "dates_times": "2024-06-11T12:34:56.789Z 11/06/2024 06.11.2024 12:00 PM 1718000000",
    "hex_uuid": "0xDEADBEEF 0x7fffffff 5b8efff798038103d269b633813fc60c 123e4567-e89b-12d3-a456-426614174000",
    "arabic_indic_fullwidth": "٠١٢٣٤٥٦٧٨٩ ०१२३४५६७८९ ０１２３４５６７８９ Ⅻ ½ ¾ ²³",
}


def words(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def prose(rng, n_sent):
    out = []
    for i in range(n_sent):
        if rng.random() < 0.5:
            out.append(rng.choice(EN_SENTENCES))
        else:
            s = words(rng, rng.randint(4, 18))
            out.append(s[0].upper() + s[1:] + rng.choice([".", ".", ".", "?", "!", ";", ","]))
        if rng.random() < 0.15:
            out.append("\n\n")
    return " ".join(out)


def sized(gen, rng, target):
    """Concatenate gen(rng) pieces until len(utf-8) >= target, then cut on a char boundary."""
    parts, size = [], 0
    while size < target:
        p = gen(rng)
        parts.append(p)
        size += len(p.encode("utf-8"))
    s = "".join(parts)
    b = s.encode("utf-8")[:target]
    return b.decode("utf-8", errors="ignore")


def random_codepoints(rng, n):
    ranges = [(0x20, 0x7E), (0xA0, 0x24F), (0x370, 0x3FF), (0x400, 0x4FF), (0x590, 0x6FF), (0x900, 0x97F),
              (0xE00, 0xE7F), (0x3040, 0x30FF), (0x4E00, 0x9FFF), (0xAC00, 0xD7A3), (0x1F300, 0x1FAFF),
              (0x0, 0x1F), (0xE000, 0xF8FF), (0x10000, 0x10FFFF)]
    out = []
    for _ in range(n):
        lo, hi = rng.choice(ranges)
        cp = rng.randint(lo, hi)
        if 0xD800 <= cp <= 0xDFFF:
            cp = 0xFFFD
        out.append(chr(cp))
    return "".join(out)


def build():
    rng = random.Random(SEED)
    c = []

    def add(id_, text):
        c.append({"id": id_, "text": text})

    add("empty", "")
    add("single/a", "a")
    add("single/space", " ")
    add("single/newline", "\n")
    add("single/emoji", "🙂")
    add("single/cjk", "字")

    # prose
    for i, s in enumerate(EN_SENTENCES):
        add(f"prose/sentence_{i:02d}", s)
    for i, n in enumerate([3, 8, 20, 60]):
        add(f"prose/para_{i}", prose(rng, n))
    add("prose/upper", prose(rng, 6).upper())
    add("prose/no_spaces", "".join(words(rng, 40).split()))

    # code
    for i, s in enumerate(PY_SNIPPETS):
        add(f"code/python_{i}", s)
    for i, s in enumerate(RS_SNIPPETS):
        add(f"code/rust_{i}", s)
    for i, s in enumerate(JSON_SNIPPETS):
        add(f"code/json_{i}", s)
    for i, s in enumerate(SQL_SNIPPETS):
        add(f"code/sql_{i}", s)
    for k, s in OTHER_CODE.items():
        add(f"code/{k}", s)
    add("code/python_4space_indent_deep", "".join("    " * d + f"if x{d}:\n" for d in range(12)) + " " * 48 + "pass\n")
    add("code/minified_json", json.dumps({"a": [{"b": i, "c": [i, i * 2, {"d": str(i)}]} for i in range(60)]}, separators=(",", ":")))

    # CJK
    for lang, bank in (("zh", ZH), ("ja", JA), ("ko", KO)):
        for i, s in enumerate(bank):
            add(f"cjk/{lang}_{i}", s)
        add(f"cjk/{lang}_para", "".join(rng.choice(bank) for _ in range(30)))
    add("cjk/mixed_en", "这个 model 叫 gpt-4o，日本語も話せます, 한국어도 OK。Token count = 42!")
    add("cjk/fullwidth_punct", "「こんにちは」『世界』（テスト）【重要】〜！？。、")

    # emoji
    for k, s in EMOJI.items():
        add(f"emoji/{k}", s)

    # other scripts
    for lang, bank in (("ar", AR), ("hi", HI), ("ru", RU), ("he", HE), ("th", TH), ("el", EL)):
        for i, s in enumerate(bank):
            add(f"script/{lang}_{i}", s)
    add("script/mixed", " | ".join([AR[0], HI[0], RU[0], ZH[0], JA[0], KO[0], HE[0], TH[0], EL[0], EN_SENTENCES[0]]))
    add("script/rtl_ltr_marks", "abc \u200f\u05e9\u05dc\u05d5\u05dd\u200e def \u202eevil\u202c \u2066iso\u2069")

    # whitespace runs
    for n in (1, 2, 3, 4, 7, 8, 16, 17, 64, 100, 255, 1000, 1001, 5000, 10000, 20000):
        add(f"ws/spaces_{n}", " " * n)
    for n in (1, 2, 10, 1000, 10000):
        add(f"ws/tabs_{n}", "\t" * n)
    for n in (1, 2, 3, 10, 1000, 10000):
        add(f"ws/newlines_{n}", "\n" * n)
    add("ws/crlf_1000", "\r\n" * 1000)
    add("ws/spaces_then_word", " " * 1000 + "word")
    add("ws/word_spaces_word", "hello" + " " * 5000 + "world")
    add("ws/trailing_spaces", "end of line" + " " * 37)
    add("ws/spaces_newline_mix", "".join(rng.choice([" ", " ", "  ", "\n", "\t", "\n\n", "\r\n"]) for _ in range(3000)))
    add("ws/nbsp_ideographic", "a\u00a0b\u00a0\u00a0c\u3000d\u2003e\u2009f\u200bg\ufeffh" + "\u00a0" * 500 + "\u3000" * 500)
    add("ws/indented_lines", "\n".join(" " * (i % 40) + "x" for i in range(400)))

    # repeated characters
    for ch, name in (("a", "a"), ("A", "A"), (".", "dot"), ("1", "digit1"), ("-", "dash"), ("=", "eq"), ("🙂", "emoji"), ("ー", "ja_choon"), ("é", "e_acute"), ("\u0301", "combining_acute")):
        add(f"repeat/{name}_1000", ch * 1000)
    add("repeat/a_20000", "a" * 20000)
    add("repeat/ab_5000", "ab" * 5000)
    add("repeat/abc_space_3000", "abc " * 3000)
    add("repeat/zh_5000", "的" * 5000)
    add("repeat/hash_2000", "#" * 2000)

    # long inputs (~100 KB each)
    add("long/prose_100k", sized(lambda r: prose(r, 10) + "\n", rng, 100_000))
    add("long/code_100k", sized(lambda r: r.choice(PY_SNIPPETS + RS_SNIPPETS + SQL_SNIPPETS + JSON_SNIPPETS) + "\n", rng, 100_000))
    add("long/cjk_100k", sized(lambda r: r.choice(ZH + JA + KO), rng, 100_000))
    add("long/mixed_100k", sized(lambda r: r.choice([prose(r, 3), r.choice(ZH + JA + KO + AR + HI + RU), r.choice(list(EMOJI.values())),
                                                      r.choice(PY_SNIPPETS), r.choice(URLS), " " * r.randint(1, 300), "\n" * r.randint(1, 5)]), rng, 100_000))

    # urls, numbers, special-looking strings
    for i, s in enumerate(URLS):
        add(f"url/{i}", s)
    for k, s in NUMBERS.items():
        add(f"number/{k}", s)
    for k, s in SPECIAL.items():
        add(f"special/{k}", s)

    # unicode edge cases
    add("unicode/nfc", "caf\u00e9 na\u00efve \u00c5ngstr\u00f6m")
    add("unicode/nfd", "cafe\u0301 nai\u0308ve A\u030angstro\u0308m")
    add("unicode/zalgo", "Z\u0351\u036b\u0343a\u0300\u0352l\u0367g\u0306\u034ao\u0350\u0345" * 10)
    add("unicode/controls", "a\x00b\x01c\x07d\x1b[31mred\x1b[0m\x7f\u0085\u2028\u2029end")
    add("unicode/math_symbols", "∀x∈ℝ: x² ≥ 0 ⇒ √(x²) = |x|; ∑ᵢ aᵢ ≈ ∫ f(x) dx ≠ ∞ ∂ ∇ ⊕ ⊗")
    add("unicode/box_drawing", "┌──────┬──────┐\n│ a    │ b    │\n├──────┼──────┤\n│ 1    │ 2    │\n└──────┴──────┘")
    add("unicode/private_use_astral", "\ue000\uf8ff \U000f0000 \U0010fffd \U0001d49c\U0001d4b7 𝔘𝔫𝔦𝔠𝔬𝔡𝔢")
    add("unicode/replacement", "\ufffd" * 20 + " bad bytes \ufffd\ufffd")

    # random code points (bytes-as-text style)
    for i, n in enumerate((50, 500, 5000)):
        add(f"random/codepoints_{i}", random_codepoints(rng, n))
    rb = bytes(rng.randrange(256) for _ in range(4000))
    add("random/latin1_bytes", rb.decode("latin-1"))
    add("random/utf8_lossy_bytes", rb.decode("utf-8", errors="replace"))
    add("random/ascii_printable", "".join(chr(rng.randint(0x20, 0x7E)) for _ in range(3000)))
    add("random/base64_blob", __import__("base64").b64encode(bytes(rng.randrange(256) for _ in range(3000))).decode())

    # misc
    add("misc/markdown", "# Title\n\n## Sub\n\n- item **bold** and _it_\n- `code` and [link](https://x.y)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nprint('hi')\n```\n> quote\n")
    add("misc/contractions", "I'm you're he's she'd we've they'll it'd Y'ALL'RE I'M DON'T can't won't o'clock rock'n'roll 's 't")
    add("misc/apostrophe_variants", "don\u2019t it\u2018s \u201cquoted\u201d \u00abguillemets\u00bb \u201ebottom\u201c")
    add("misc/chat_transcript", "User: What's 2+2?\nAssistant: 2 + 2 = 4.\nUser: And in binary?\nAssistant: 100₂.\n")
    add("misc/email_pii", "Contact john.doe+test@example.co.uk or call 555-0100; card 4111 1111 1111 1111; IBAN DE89370400440532013000.")
    add("misc/stacktrace", "Traceback (most recent call last):\n  File \"/app/main.py\", line 42, in <module>\n    main()\n  File \"/app/main.py\", line 17, in main\n    raise ValueError(\"boom\")\nValueError: boom\n")
    add("misc/log_lines", "\n".join(f"2024-06-11T12:00:{i:02d}.{i*37 % 1000:03d}Z INFO [worker-{i % 4}] processed batch={i} spans={rng.randint(1, 512)} dur_ms={rng.random() * 100:.3f}" for i in range(50)))
    add("misc/punct_runs", "!!!??? ... ,,, ;;; ::: ''' \"\"\" ``` ~~~ ^^^ &&& ||| >>> <<< /// \\\\\\ *** +++")
    add("misc/camel_snake", "getHTTPResponseCode parseJSONToXML snake_case_identifier SCREAMING_SNAKE kebab-case-name XMLHttpRequest iOS macOS")

    ids = [e["id"] for e in c]
    assert len(ids) == len(set(ids)), "duplicate ids"
    return c


def render(entries):
    # UTF-8 JSON, but escape the code points some readers treat as line breaks
    # (U+0085, U+2028, U+2029) so that every entry is exactly one '\n'-terminated line.
    def line(e):
        s = json.dumps(e, ensure_ascii=False)
        return s.replace("\u0085", "\\u0085").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return "".join(line(e) + "\n" for e in entries)


def main():
    data = render(build())
    if "--check" in sys.argv:
        with open(OUT, encoding="utf-8") as f:
            ok = f.read() == data
        print("corpus.jsonl up to date" if ok else "corpus.jsonl differs from make_corpus.py output")
        sys.exit(0 if ok else 1)
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(data)
    print(f"wrote {OUT}: {data.count(chr(10))} entries, {len(data.encode('utf-8'))} bytes")


if __name__ == "__main__":
    main()
