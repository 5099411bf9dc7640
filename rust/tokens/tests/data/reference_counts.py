#!/usr/bin/env python3
"""Reference token counts for corpus.jsonl, computed with OpenAI's Python tiktoken.

Output: reference_counts.jsonl, one line per corpus entry, in corpus order:
    {"id": "...", "o200k_base": n, "cl100k_base": n}

Semantics: encode_ordinary(text), i.e. special-token-looking strings such as
"<|endoftext|>" are counted as ordinary text (same as encode(text, disallowed_special=())).
Rust equivalents: tiktoken-rs CoreBPE::encode_ordinary(..).len(),
bpe-openai Tokenizer::count(..).

Pinned versions used to produce the committed file (Python 3.11.7):
    tiktoken==0.14.0
    litellm==1.106.2   (only for its bundled BPE files, see below)

How to run it offline
---------------------
tiktoken downloads its BPE rank files on first use, which fails without internet.
It first looks in $TIKTOKEN_CACHE_DIR for a file named sha1(<source URL>):
    fb374d419588a4632f3f557e76b4b70aebbca790  o200k_base.tiktoken  (sha256 446a9538...1a2d)
    9b5ad71b2ce5302211f9c61530b329a4922fc6a4  cl100k_base.tiktoken (sha256 223921b7...b2a7)
The LiteLLM wheel ships exactly these files in litellm/litellm_core_utils/tokenizers/,
and LiteLLM itself sets TIKTOKEN_CACHE_DIR to that folder on import
(litellm/litellm_core_utils/default_encoding.py; CUSTOM_TIKTOKEN_CACHE_DIR overrides it).
This script does the same without importing litellm (slow): it finds the installed
package with importlib and points TIKTOKEN_CACHE_DIR at that folder unless you set it.
tiktoken verifies the sha256 of each file against its built-in expected hash.
(The same two files are also byte-identical to tiktoken-rs 0.12.1's assets/.)

    python3 -m venv /tmp/tok-venv
    /tmp/tok-venv/bin/pip install tiktoken==0.14.0 litellm==1.106.2
    /tmp/tok-venv/bin/python reference_counts.py            # rewrites reference_counts.jsonl
    /tmp/tok-venv/bin/python reference_counts.py --check    # exit 1 if the file is stale
"""
import importlib.util
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus.jsonl")
OUT = os.path.join(HERE, "reference_counts.jsonl")
ENCODINGS = ("o200k_base", "cl100k_base")


def setup_offline_cache():
    if os.environ.get("TIKTOKEN_CACHE_DIR"):
        return os.environ["TIKTOKEN_CACHE_DIR"]
    spec = importlib.util.find_spec("litellm")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("litellm is not installed and TIKTOKEN_CACHE_DIR is unset: see the header of this script")
    d = os.path.join(list(spec.submodule_search_locations)[0], "litellm_core_utils", "tokenizers")
    os.environ["TIKTOKEN_CACHE_DIR"] = d
    return d


def load_corpus(path=CORPUS):
    with open(path, encoding="utf-8", newline="\n") as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    setup_offline_cache()
    import tiktoken

    encs = {name: tiktoken.get_encoding(name) for name in ENCODINGS}
    lines = []
    for e in load_corpus():
        row = {"id": e["id"]}
        for name, enc in encs.items():
            row[name] = len(enc.encode_ordinary(e["text"]))
        lines.append(json.dumps(row, ensure_ascii=False) + "\n")
    data = "".join(lines)
    if "--check" in sys.argv:
        with open(OUT, encoding="utf-8") as f:
            ok = f.read() == data
        print("reference_counts.jsonl up to date" if ok else "reference_counts.jsonl is stale")
        sys.exit(0 if ok else 1)
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(data)
    print(f"wrote {OUT}: {len(lines)} entries (tiktoken {tiktoken.__version__})")


if __name__ == "__main__":
    main()
