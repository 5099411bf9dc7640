#!/usr/bin/env python3
"""Generate catalog.json (the embedded price catalog of the cost crate) from LiteLLM.

Source: LiteLLM's model_prices_and_context_window_backup.json, shipped inside the
installed `litellm` wheel (MIT licence, see NOTICE). Nothing is fetched from the network.

Usage (from the repo root, with a venv that has litellm installed):

    make catalog    (a venv with the pinned litellm, then this script)
or  LITELLM_LOCAL_MODEL_COST_MAP=True python rust/cost/data/generate_catalog.py \
        [--catalog-date YYYY-MM-DD] [--out PATH]

What is kept
  * entries whose `mode` is a text mode (chat, completion, embedding, responses)
  * that are "priced": input_cost_per_token or output_cost_per_token is a JSON number
    (explicit 0 counts: free models are priced at 0)
  * only the per-token pricing fields below (plus litellm_provider and mode); image,
    audio, video, character, per-second, per-query, off-peak and tiered_pricing tables
    are dropped (the cost crate prices text tokens only).

Prices are copied as the exact JSON number text LiteLLM has (no float round trip).
Output is deterministic: keys sorted, one model per line, no generation timestamp.
"""

from __future__ import annotations

import argparse
import collections
import importlib.metadata
import json
import os
import re
import sys
from pathlib import Path

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

TEXT_MODES = ("chat", "completion", "embedding", "responses")

# Base per-token rates the cost crate understands.
RATE_BASES = (
    "input_cost_per_token",
    "output_cost_per_token",
    "cache_read_input_token_cost",
    "cache_creation_input_token_cost",
    "cache_creation_input_token_cost_above_1hr",  # Anthropic 1-hour cache writes
    "output_cost_per_reasoning_token",
)
# Service-tier suffixes LiteLLM knows (ServiceTier enum + batches); "fast" maps to "priority"
# in LiteLLM and never appears as a key suffix.
SERVICE_SUFFIXES = ("flex", "priority", "batches", "balanced", "ultrafast")

FIELD_RE = re.compile(
    r"^(?P<base>" + "|".join(RATE_BASES) + r")"
    r"(?:_above_(?P<threshold>\d+k?)_tokens)?"
    r"(?:_(?P<service>" + "|".join(SERVICE_SUFFIXES) + r"))?$"
)
META_FIELDS = ("litellm_provider", "mode")

# litellm 1.x publishes no release date inside the wheel; the value below is the
# build timestamp of the zip entries of the PyPI wheel
# (litellm-1.106.2-cp310-abi3-manylinux_2_28_x86_64.whl: every entry dated 2026-10-21).
KNOWN_RELEASE_DATES = {"1.106.2": "2026-10-21"}


class RawNumber(str):
    """A JSON number kept as its original source text."""


def litellm_json_path() -> Path:
    dist = importlib.metadata.distribution("litellm")
    path = Path(dist.locate_file("litellm/model_prices_and_context_window_backup.json"))
    if not path.is_file():
        sys.exit(f"not found: {path}")
    return path


def is_number(v) -> bool:
    return isinstance(v, RawNumber) or (isinstance(v, int) and not isinstance(v, bool))


def keep_field(name: str) -> bool:
    return name in META_FIELDS or FIELD_RE.match(name) is not None


def dump(value) -> str:
    """Compact JSON with sorted keys; RawNumber written verbatim."""
    if isinstance(value, RawNumber):
        return str(value)
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(k) + ":" + dump(value[k]) for k in sorted(value)) + "}"
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return json.dumps(value, ensure_ascii=False)
    raise TypeError(f"unexpected value {value!r}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--catalog-date", help="override the catalog date (YYYY-MM-DD)")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent / "catalog.json"))
    args = ap.parse_args()

    version = importlib.metadata.version("litellm")
    catalog_date = args.catalog_date or KNOWN_RELEASE_DATES.get(version)
    if catalog_date is None:
        sys.exit(f"unknown release date for litellm {version}: pass --catalog-date YYYY-MM-DD")

    src = litellm_json_path()
    print(f"source: {src}", file=sys.stderr)
    print(f"litellm version: {version}", file=sys.stderr)
    raw = json.loads(src.read_text(encoding="utf-8"), parse_float=RawNumber)

    models: dict[str, dict] = {}
    dropped_fields: collections.Counter = collections.Counter()
    for key, entry in raw.items():
        if not isinstance(entry, dict) or key == "sample_spec":
            continue
        if entry.get("mode") not in TEXT_MODES:
            continue
        if not (is_number(entry.get("input_cost_per_token")) or is_number(entry.get("output_cost_per_token"))):
            continue
        kept = {}
        for name, value in entry.items():
            if value is None:
                continue
            if keep_field(name):
                if name not in META_FIELDS and not is_number(value):
                    sys.exit(f"{key}.{name}: non-numeric price {value!r}")
                kept[name] = value
            elif "cost" in name or "pricing" in name:
                dropped_fields[name] += 1
        models[key] = kept

    header = {
        "source": "LiteLLM model_prices_and_context_window.json",
        "litellm_version": version,
        "catalog_date": catalog_date,
        "license": "MIT (LiteLLM) \u2014 see NOTICE",
    }
    lines = ["{"]
    for k in ("source", "litellm_version", "catalog_date", "license"):
        lines.append(f"{json.dumps(k)}:{json.dumps(header[k], ensure_ascii=False)},")
    lines.append('"models":{')
    keys = sorted(models)
    for i, k in enumerate(keys):
        lines.append(json.dumps(k, ensure_ascii=False) + ":" + dump(models[k]) + ("," if i + 1 < len(keys) else ""))
    lines.append("}}")
    text = "\n".join(lines) + "\n"
    json.loads(text)  # sanity: valid JSON
    Path(args.out).write_text(text, encoding="utf-8")

    # ---- report ----
    per_provider = collections.Counter(m["litellm_provider"] for m in models.values())
    per_mode = collections.Counter(m["mode"] for m in models.values())
    fields = collections.Counter(f for m in models.values() for f in m)
    print(f"wrote {args.out}: {len(models)} priced text-mode entries")
    print("per mode:", dict(sorted(per_mode.items())))
    print("per litellm_provider:")
    for p, n in sorted(per_provider.items(), key=lambda x: (-x[1], x[0])):
        print(f"  {p:40s} {n}")
    print("fields kept (entries having them):")
    for f, n in sorted(fields.items()):
        print(f"  {f:60s} {n}")
    print("pricing fields dropped (entries having them):")
    for f, n in sorted(dropped_fields.items()):
        print(f"  {f:60s} {n}")


if __name__ == "__main__":
    main()
