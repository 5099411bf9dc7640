#!/usr/bin/env python3
"""Generate history.json (dated prices of the cost crate) from pydantic's genai-prices.

Source: the price data shipped inside the installed `genai-prices` wheel (genai_prices/data.py,
MIT licence, see NOTICE). Nothing is fetched from the network.

Usage (from the repo root, in the price venv that has the pinned litellm and genai-prices):

    make catalog
or  python rust/cost/data/generate_history.py [--out PATH]

catalog.json (LiteLLM) holds one price per model: the price in force on its catalog date.
genai-prices holds, for some models, the dates their prices changed. This script links every
catalog entry to the genai-prices model its own matching logic picks for it (the provider
mapped from LiteLLM's, then `Provider.find_model` on the entry's model name) and, where that
model's prices change by date, writes the periods in which the catalog's price is NOT the one
in force:

  * every period that ended before the genai-prices period in force on the catalog date
    (LiteLLM has no history): `{"from": date or null, "until": date, "rates": {...}}`;
  * every period that starts after the catalog date (a change LiteLLM's snapshot could not
    know yet): `{"from": date, "until": date or null, "rates": {...}}`.

Between them the catalog's own price stands. Where genai-prices disagrees with it on the price
in force on the catalog date, the dated source wins: if genai-prices records the date that
price came into force, the catalog's value is taken to predate the change and genai-prices'
period is written too; if genai-prices' price is undated, nothing says which is newer and the
catalog (where every other field, service tiers and the cost reference cases come from) stands.
Each disagreement is listed in `disagreements`, both values and the winner side by side.
Models are linked only to a genai-prices model of the same provider (no fallback: a model
hosted elsewhere has that host's price) whose id the catalog key is, dated or versioned; a
model with time-of-day (off-peak) prices is left out, as its dated prices are off-peak ones.

Only per-token text prices are carried (input, output, cache read, cache write 5 min / 1 h,
reasoning output), with genai-prices' long-context tiers as LiteLLM's `_above_<N>k_tokens`
fields; a period with other units only (audio, images), or with a tier that does not start at
a whole thousand of tokens (`_above_<N>k_tokens` cannot say it), is skipped. Time-of-day prices
(off-peak) are not dated prices and are skipped, as catalog.json skips LiteLLM's.
Output is deterministic: keys sorted, one model per line, prices as exact decimal text.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import json
import re
import sys
from decimal import Decimal
from pathlib import Path

from genai_prices import data
from genai_prices.types import ModelPrice, StartDateConstraint, TieredPrices, TimeOfDateConstraint

HERE = Path(__file__).resolve().parent

# LiteLLM provider -> genai-prices provider id (providers genai-prices does not price are left
# out: their entries keep the catalog's single price).
PROVIDERS = {
    "anthropic": "anthropic",
    "openai": "openai",
    "text-completion-openai": "openai",
    "azure": "azure",
    "azure_ai": "azure",
    "bedrock": "aws",
    "bedrock_converse": "aws",
    "gemini": "google",
    "vertex_ai-language-models": "google",
    "vertex_ai-anthropic_models": "google",
    "vertex_ai": "google",
    "deepseek": "deepseek",
    "mistral": "mistral",
    "groq": "groq",
    "xai": "x-ai",
    "cohere": "cohere",
    "cohere_chat": "cohere",
    "fireworks_ai": "fireworks",
    "together_ai": "together",
    "cerebras": "cerebras",
    "openrouter": "openrouter",
    "perplexity": "perplexity",
    "moonshot": "moonshotai",
    "zai": "zai",
    "novita": "novita",
    "databricks": "databricks",
    "cloudflare": "cloudflare",
    "minimax": "minimax",
    "voyage": "voyageai",
    "meta_llama": "meta",
    "ovhcloud": "ovhcloud",
    "baseten": "baseten",
    "github_copilot": "github-copilot",
}

# genai-prices price field (USD per million tokens) -> LiteLLM rate field (USD per token)
FIELDS = {
    "input_mtok": "input_cost_per_token",
    "output_mtok": "output_cost_per_token",
    "cache_read_mtok": "cache_read_input_token_cost",
    "cache_write_mtok": "cache_creation_input_token_cost",
    "cache_write_1h_mtok": "cache_creation_input_token_cost_above_1hr",
    "output_reasoning_mtok": "output_cost_per_reasoning_token",
}


def per_token(mtok: Decimal) -> str:
    """USD per million tokens -> exact decimal text of USD per token."""
    text = format((mtok / Decimal(1_000_000)).normalize(), "f")
    return text


def rates_of(price: ModelPrice) -> dict[str, str] | None:
    out: dict[str, str] = {}
    for name, field in FIELDS.items():
        v = getattr(price, name, None)
        if v is None:
            continue
        if isinstance(v, TieredPrices):
            out[field] = per_token(v.base)
            for tier in v.tiers:
                if tier.start % 1000:
                    return None  # `_above_<N>k_tokens` cannot say it: the period is skipped
                # genai-prices: the tier price applies to all tokens once the prompt is above
                # `start`, as LiteLLM's `_above_<N>k_tokens` fields do
                base, _, rest = field.partition("_cost")
                out[f"{base}_cost{rest}_above_{tier.start // 1000}k_tokens"] = per_token(tier.price)
        else:
            out[field] = per_token(v)
    if "input_cost_per_token" not in out and "output_cost_per_token" not in out:
        return None
    return out


def periods_of(model) -> list[tuple[datetime.date | None, datetime.date | None, dict[str, str]]] | None:
    """The model's dated prices as (from, until, rates), in order; None without dates."""
    if not isinstance(model.prices, list):
        return None
    if any(isinstance(c.constraint, TimeOfDateConstraint) for c in model.prices):
        # off-peak prices: its dated prices are off-peak ones, the catalog's the standard
        return None
    dated = [c for c in model.prices if isinstance(c.constraint, StartDateConstraint)]
    if not dated:
        return None
    undated = [c for c in model.prices if c.constraint is None]
    # genai-prices: the last active conditional price wins; with start dates ascending each
    # period runs until the next one starts, and the unconstrained one before all of them
    steps = sorted(dated, key=lambda c: c.constraint.start_date)
    starts = [None] + [c.constraint.start_date for c in steps]
    prices = [undated[0].prices if undated else steps[0].prices] + [c.prices for c in steps]
    if not undated:
        starts, prices = starts[1:], prices[1:]
    out = []
    for i, (start, price) in enumerate(zip(starts, prices)):
        until = starts[i + 1] if i + 1 < len(starts) else None
        rates = rates_of(price)
        if rates is not None:
            out.append((start, until, rates))
    return out or None


# What may follow a genai-prices model id in a catalog key of the same model: a date, a
# version, `latest`, `@default`, a Bedrock version (`-v1:0`), a revision (`-0`).
SAME_MODEL_SUFFIX = re.compile(
    r"^([-@:.]?(\d{8}|\d{4}-\d{2}-\d{2}|\d{2}-\d{2}|\d{4}|latest|default|preview|v\d+(:\d+)?|\d))*$"
)


def same_model(ref: str, model_id: str) -> bool:
    """genai-prices matches by prefix and substring; a link is kept only when the catalog key
    is that model, dated or versioned (`gemini-3.8-flash-cyber` is not `gemini-3.8-flash`)."""
    ref, model_id = ref.lower(), model_id.lower()
    tail = ref.rsplit("/", 1)[-1]
    base = model_id.rsplit("/", 1)[-1]
    for r in (ref, tail):
        for b in (model_id, base):
            if r.startswith(b) and SAME_MODEL_SUFFIX.match(r[len(b):]):
                return True
    return False


def model_ref(key: str, provider: str) -> str:
    head, sep, rest = key.partition("/")
    if sep and (provider.startswith(head) or head in ("gemini", "vertex_ai", "bedrock", "azure")):
        return rest
    return key


def iso(d: datetime.date | None) -> str | None:
    return d.isoformat() if d else None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--catalog", default=str(HERE / "catalog.json"))
    ap.add_argument("--out", default=str(HERE / "history.json"))
    args = ap.parse_args()

    catalog = json.loads(Path(args.catalog).read_text(encoding="utf-8"))
    catalog_date = datetime.date.fromisoformat(catalog["catalog_date"])
    providers = {p.id: p for p in data.providers}

    history: dict[str, list] = {}
    disagreements: dict[str, dict] = {}
    for key in sorted(catalog["models"]):
        entry = catalog["models"][key]
        pid = PROVIDERS.get(entry.get("litellm_provider", ""))
        if pid is None:
            continue
        # no fallback to other providers: a model hosted elsewhere has that host's price
        ref = model_ref(key, entry["litellm_provider"])
        model = providers[pid].find_model(ref)
        if model is None or not same_model(ref, model.id):
            continue
        periods = periods_of(model)
        if periods is None:
            continue
        kept = []
        for start, until, rates in periods:
            in_force = (start is None or start <= catalog_date) and (until is None or catalog_date < until)
            if in_force:
                mine = {k: str(entry[k]) for k in rates if k in entry}
                theirs = {k: v for k, v in rates.items() if k in entry}
                if any(Decimal(mine[k]) != Decimal(theirs[k]) for k in mine):
                    # a dated change is evidence the catalog's value predates it: genai-prices
                    # wins from that date; an undated genai-prices price is no such evidence
                    winner = "genai-prices" if start is not None else "litellm"
                    disagreements[key] = {
                        "genai_prices_model": model.id,
                        "from": iso(start),
                        "litellm": mine,
                        "genai_prices": theirs,
                        "wins": winner,
                    }
                    if winner == "genai-prices":
                        kept.append({"from": iso(start), "until": iso(until), "rates": rates})
            elif until is not None and until <= catalog_date or start is not None and start > catalog_date:
                kept.append({"from": iso(start), "until": iso(until), "rates": rates})
        if kept:
            history[key] = kept

    version = importlib.metadata.version("genai-prices")
    lines = [
        "{",
        f'"source":"pydantic genai-prices (genai_prices/data.py)",',
        f'"genai_prices_version":{json.dumps(version)},',
        f'"catalog_date":{json.dumps(catalog["catalog_date"])},',
        '"license":"MIT (genai-prices) \\u2014 see NOTICE",',
        '"models":{',
    ]
    keys = sorted(history)
    for i, k in enumerate(keys):
        lines.append(json.dumps(k) + ":" + json.dumps(history[k], sort_keys=True, separators=(",", ":"))
                     + ("," if i + 1 < len(keys) else ""))
    lines.append("},")
    lines.append('"disagreements":{')
    keys = sorted(disagreements)
    for i, k in enumerate(keys):
        lines.append(json.dumps(k) + ":" + json.dumps(disagreements[k], sort_keys=True, separators=(",", ":"))
                     + ("," if i + 1 < len(keys) else ""))
    lines.append("}}")
    text = "\n".join(lines) + "\n"
    json.loads(text)
    Path(args.out).write_text(text, encoding="utf-8")
    print(f"genai-prices {version}: {len(history)} catalog entries with dated prices, "
          f"{len(disagreements)} current prices that disagree", file=sys.stderr)


if __name__ == "__main__":
    main()
