"""Calibration factors for estimated token counts (rust/tokens/src/model_map.rs, ESTIMATES).

For a model family whose tokenizer is public, the factor is
    sum(family tokens) / sum(chosen OpenAI encoding tokens)
over the reference corpus (corpus.jsonl, entries under 64 KiB, so no single long or
pathological entry dominates). Run offline:

    python -m venv /tmp/tok-venv && /tmp/tok-venv/bin/pip install tiktoken==0.14.0 tokenizers==0.23.3 litellm==1.106.2
    /tmp/tok-venv/bin/python rust/tokens/tests/data/calibration.py

Families measured here:
  claude  Anthropic's public (pre-Claude-3) tokenizer, the tokenizer.json that LiteLLM's
          wheel ships (litellm/litellm_core_utils/tokenizers/anthropic_tokenizer.json, MIT
          package). Claude 3 and later use an undisclosed tokenizer: the factor is the best
          public evidence, and every such count stays marked `estimated`.
"""
import importlib.util
import json
import os
import pathlib

here = pathlib.Path(__file__).parent
spec = importlib.util.find_spec("litellm")
tok_dir = pathlib.Path(spec.submodule_search_locations[0]) / "litellm_core_utils" / "tokenizers"
os.environ["TIKTOKEN_CACHE_DIR"] = str(tok_dir)

import tiktoken  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402

texts = [json.loads(l)["text"] for l in open(here / "corpus.jsonl")]
texts = [t for t in texts if len(t.encode()) < 64 * 1024]
cl100k = tiktoken.get_encoding("cl100k_base")
claude = Tokenizer.from_file(str(tok_dir / "anthropic_tokenizer.json"))
base = sum(len(cl100k.encode_ordinary(t)) for t in texts)
fam = sum(len(claude.encode(t, add_special_tokens=False).ids) for t in texts)
print(json.dumps({"family": "claude", "encoding": "cl100k_base", "entries": len(texts),
                  "family_tokens": fam, "encoding_tokens": base, "factor": round(fam / base, 3)}))
