#!/usr/bin/env python3
"""Generate reference_cases.jsonl: costs computed by LiteLLM for the cost crate's tests.

Usage (from the repo root; needs catalog.json generated first):

    make cost-reference
or  LITELLM_LOCAL_MODEL_COST_MAP=True python rust/cost/tests/data/make_reference.py

Deterministic: fixed seed, sorted model lists, no clock (LiteLLM's billing clock is
pinned as well, although models with time-of-day pricing are excluded anyway).

Each line:
  {"id", "model" (catalog key), "litellm_provider", "mode", "service_tier" (null|"flex"|
   "priority"|"batch"), "usage": {semconv-inclusive counts}, "litellm_args": {exact
   arguments of litellm.cost_per_token}, "expected": {"prompt_cost","completion_cost","total"},
   "generic_rule_agrees": bool, "note": str (only when LiteLLM deviates from the generic rule)}

usage (OpenTelemetry GenAI semconv, inclusive):
  input_tokens              = all prompt tokens, INCLUDING cache_read and cache_creation
  output_tokens             = all completion tokens, INCLUDING reasoning
  cache_read_input_tokens, cache_creation_input_tokens, reasoning_output_tokens = parts

=== LiteLLM 1.106.2 token semantics (the most important fact) ===
In LiteLLM's *canonical Usage object* prompt_tokens INCLUDES cache-read and cache-creation
tokens, for every provider, Anthropic included:
  * llms/anthropic/chat/transformation.py calculate_usage() converts Anthropic's raw
    input_tokens (which exclude cache) into prompt_tokens:
        prompt_tokens += cache_creation_input_tokens      (line ~2492)
        prompt_tokens += cache_read_input_tokens          (line ~2495)
  * litellm_core_utils/llm_cost_calc/utils.py generic_cost_per_token() bills
        text_tokens = max(prompt_tokens - cache_hit - audio - cache_creation - image - video, 0)
    at the input rate, plus cache_hit * cache_read rate, plus cache_creation * cache_creation
    rate (parse_prompt_tokens_details + _calculate_input_cost).
  * cost_per_token(prompt_tokens=P, cache_read_input_tokens=R, cache_creation_input_tokens=W)
    builds Usage(prompt_tokens=P, ...) with prompt_tokens_details.cached_tokens=R and
    .cache_write_tokens=W, i.e. P is taken as INCLUSIVE. So litellm_args.prompt_tokens ==
    usage.input_tokens (semconv) here: the same number, no adjustment.
  * Exception (not used here): cost_per_token's *custom pricing* branch
    (custom_cost_per_token=...) treats P as Anthropic-raw (EXCLUSIVE) when cache kwargs are
    passed and adds R+W to it (cost_calculator.py "_normalized_prompt_tokens += ...").
  * If R+W > P the uncached part clamps to 0 (no negative cost).
Long-context thresholds compare the INCLUSIVE prompt_tokens.

Reasoning: cost_per_token has no reasoning kwarg; those cases pass usage_object=Usage(...,
reasoning_tokens=N) (recorded as litellm_args.usage_object = the Usage constructor kwargs).
"""

from __future__ import annotations

import json
import math
import os
import random
import sys
from datetime import datetime, timezone
from pathlib import Path

os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"

import litellm  # noqa: E402
from litellm import _internal_context  # noqa: E402
from litellm.types.utils import Usage  # noqa: E402

litellm.suppress_debug_info = True

HERE = Path(__file__).resolve().parent
CATALOG = HERE.parent.parent / "data" / "catalog.json"
OUT = HERE / "reference_cases.jsonl"
SEED = 20261021

GROUPS = {
    "openai": ("openai", "text-completion-openai"),
    "anthropic": ("anthropic",),
    "gemini": ("gemini",),
    "vertex": ("vertex_ai-language-models", "vertex_ai-anthropic_models", "vertex_ai-embedding-models"),
    "bedrock": ("bedrock", "bedrock_converse"),
    "azure": ("azure", "azure_ai"),
    "mistral": ("mistral",),
    "cohere": ("cohere", "cohere_chat"),
    "groq": ("groq",),
    "deepseek": ("deepseek",),
    "xai": ("xai",),
    "together": ("together_ai",),
    "fireworks": ("fireworks_ai", "fireworks_ai-embedding-models"),
}
PER_GROUP = {"openai": 10, "anthropic": 8, "gemini": 7, "vertex": 7, "bedrock": 8, "azure": 8}
DEFAULT_PER_GROUP = 5
SERVICE_SUFFIX = {"flex": "flex", "priority": "priority"}


# ---------------------------------------------------------------------------
# independent re-implementation of LiteLLM's generic rule (used as a cross-check only)
# ---------------------------------------------------------------------------
def rate(m, key, default=None):
    v = m.get(key)
    return float(v) if v is not None else default


def svc_key(base, tier):
    return base if tier is None else f"{base}_{SERVICE_SUFFIX[tier]}"


def svc_rate(m, base, tier, default=None):
    """get_cost_per_unit: tier key, else the un-suffixed key, else default."""
    v = rate(m, svc_key(base, tier))
    if v is None and tier is not None:
        v = rate(m, base)
    return default if v is None else v


def generic_rule(m, provider, u, tier):
    P, C = u["input_tokens"], u["output_tokens"]
    R, W, Z = u["cache_read_input_tokens"], u["cache_creation_input_tokens"], u["reasoning_output_tokens"]
    inclusive = provider == "xai"
    if provider == "fireworks_ai" and m.get("cache_read_input_token_cost") is None and "input_cost_per_token" in m:
        m = {**m, "cache_read_input_token_cost": float(m["input_cost_per_token"]) * 0.5}
    inp = svc_rate(m, "input_cost_per_token", tier, 0.0)
    out = svc_rate(m, "output_cost_per_token", tier, 0.0)
    cw = svc_rate(m, "cache_creation_input_token_cost", tier)
    cr = svc_rate(m, "cache_read_input_token_cost", tier)
    suffix = "" if tier is None else "_" + SERVICE_SUFFIX[tier]
    prefixes = tuple(f"{p}_above_" for p in ("input_cost_per_token", "output_cost_per_token",
                                              "cache_read_input_token_cost", "cache_creation_input_token_cost"))
    non_std = ("_flex", "_priority", "_balanced", "_ultrafast", "_fast", "_batches")
    keys = [k for k in m if k.startswith(prefixes) and "_tokens" in k
            and (not k.endswith(non_std) or (suffix and k.endswith(suffix)))]

    def thr_of(k):
        t = k.rsplit("_above_", 1)[1].split("_tokens")[0]
        return t, float(t.replace("k", "")) * (1000 if "k" in t else 1)

    for k in sorted(keys, key=lambda k: thr_of(k)[1]):
        t, th = thr_of(k)
        if P > th or (inclusive and P == th):
            inp = _tier_lookup(m, f"input_cost_per_token_above_{t}_tokens", tier, inp)
            out = _tier_lookup(m, f"output_cost_per_token_above_{t}_tokens", tier, out)
            cw = _tier_lookup(m, f"cache_creation_input_token_cost_above_{t}_tokens", tier, cw)
            cr = _tier_lookup(m, f"cache_read_input_token_cost_above_{t}_tokens", tier, cr)
    cr = inp if cr is None else cr
    cw = inp if cw is None else cw
    prompt = max(P - R - W, 0) * inp + R * cr + (W * cw if W else 0.0)
    if provider == "xai" or Z == 0:
        completion = C * out
    else:
        rk = svc_key("output_cost_per_reasoning_token", tier)
        if m.get(rk) is not None:
            rr = float(m[rk])
        elif tier is not None and m.get(svc_key("output_cost_per_token", tier)) is not None:
            rr = out
        else:
            rr = rate(m, "output_cost_per_reasoning_token", out)
        completion = max(C - Z, 0) * out + Z * rr
    return prompt, completion


def _tier_lookup(m, key, tier, current):
    if tier is None:
        v = rate(m, key)
    else:
        v = rate(m, f"{key}_{SERVICE_SUFFIX[tier]}")
        if v is None:
            v = rate(m, key)
    return current if v is None else v


def batch_rule(m, u):
    """cost_calculator.batch_cost_calculator for models with *_batches rates."""
    P, C, R, W = u["input_tokens"], u["output_tokens"], u["cache_read_input_tokens"], u["cache_creation_input_tokens"]

    def brate(prefix):
        ths = []
        for k, v in m.items():
            if v is None or not k.startswith(prefix + "_above_") or not k.endswith("_tokens_batches"):
                continue
            t = k[len(prefix + "_above_"):-len("_tokens_batches")]
            ths.append((float(t.replace("k", "")) * (1000 if "k" in t else 1), t))
        for th, t in sorted(ths, reverse=True):
            if P > th:
                v = rate(m, f"{prefix}_above_{t}_tokens_batches")
                return rate(m, f"{prefix}_batches") if v is None else v
        return rate(m, f"{prefix}_batches")

    bi, bo = brate("input_cost_per_token"), brate("output_cost_per_token")
    bcr, bcw = brate("cache_read_input_token_cost"), brate("cache_creation_input_token_cost")
    if bi is not None:
        cached = R if bcr is not None else 0
        written = W if bcw is not None else 0
        prompt = max(P - cached - written, 0) * bi + cached * (bcr or 0.0) + written * (bcw or 0.0)
    else:
        i = rate(m, "input_cost_per_token", 0.0)
        prompt = (P - R - W) * i / 2 + (R * rate(m, "cache_read_input_token_cost", 0.0)) / 2 \
            + W * (rate(m, "cache_creation_input_token_cost") or i) / 2
    orate = bo if bo is not None else rate(m, "output_cost_per_token", 0.0) / 2
    return prompt, C * orate


# ---------------------------------------------------------------------------
def load_catalog():
    return json.loads(CATALOG.read_text(encoding="utf-8"))


def features(m):
    ks = set(m)
    return {
        "cache_read": "cache_read_input_token_cost" in ks,
        "cache_creation": "cache_creation_input_token_cost" in ks,
        "reasoning": "output_cost_per_reasoning_token" in ks,
        "tiers": sorted({int(k.rsplit("_above_", 1)[1].split("k_tokens")[0]) for k in ks
                         if "_above_" in k and k.split("_above_")[-1].endswith("k_tokens")
                         and k.startswith("input_cost_per_token_above_")}),
        "flex": "input_cost_per_token_flex" in ks,
        "priority": "input_cost_per_token_priority" in ks,
        "batch": "input_cost_per_token_batches" in ks,
    }


def raw_entry(key):
    return litellm.model_cost.get(key, {})


def eligible(key, m):
    raw = raw_entry(key)
    if raw.get("off_peak_pricing") or raw.get("tiered_pricing"):
        return False  # time-of-day / all-or-nothing tables: not modelled in the catalog
    if m.get("input_cost_per_token") is None or m.get("output_cost_per_token") is None:
        return False
    prov = provider_arg(key, m["litellm_provider"])
    if prov is not None and f"{prov}/{key}" in litellm.model_cost:
        return False  # LiteLLM would price "<provider>/<key>", a different entry
    try:
        call_litellm(litellm_args_for(key, m["mode"], dict(input_tokens=10, output_tokens=10,
                     cache_read_input_tokens=0, cache_creation_input_tokens=0, reasoning_output_tokens=0), None, prov))
    except Exception:  # noqa: BLE001
        return False  # LiteLLM cannot resolve the key on its own
    return True


def select_models(cat, rng):
    chosen = []
    for group, provs in GROUPS.items():
        cands = sorted(k for k, m in cat.items() if m["litellm_provider"] in provs and eligible(k, m))
        n = PER_GROUP.get(group, DEFAULT_PER_GROUP)
        picked = []

        def take(pred, limit):
            pool = [k for k in cands if k not in picked and pred(cat[k], features(cat[k]))]
            rng.shuffle(pool)
            picked.extend(pool[:limit])

        take(lambda m, f: f["reasoning"], 2)
        take(lambda m, f: bool(f["tiers"]), 2)
        take(lambda m, f: f["cache_creation"], 1)
        take(lambda m, f: f["flex"] or f["priority"], 1)
        take(lambda m, f: f["batch"], 1)
        take(lambda m, f: m["mode"] == "embedding", 1)
        take(lambda m, f: f["cache_read"], 1)
        take(lambda m, f: True, max(0, n - len(picked)))
        chosen.extend((group, k) for k in sorted(picked))
    return chosen


def usage_cases(m, f, rng):
    """Yield (label, usage, service_tier)."""
    if m["mode"] == "embedding":
        for p in (1, rng.randint(5, 600), rng.randint(1000, 8000), rng.randint(20000, 300000)):
            yield "embedding", dict(input_tokens=p, output_tokens=0, cache_read_input_tokens=0,
                                    cache_creation_input_tokens=0, reasoning_output_tokens=0), None
        return

    def u(p, c, r=0, w=0, z=0):
        return dict(input_tokens=p, output_tokens=c, cache_read_input_tokens=r,
                    cache_creation_input_tokens=w, reasoning_output_tokens=z)

    p = rng.randint(50, 20000)
    c = rng.randint(1, 4000)
    yield "plain", u(p, c), None
    yield "zero_output", u(rng.randint(1, 3000), 0), None
    r = rng.randint(1, p - 1)
    yield "cache_read", u(p, c, r=r), None
    w = rng.randint(1, max(1, p - r - 1))
    yield "cache_read_and_creation", u(p, c, r=r, w=w), None
    yield "cache_creation_only", u(p, c, w=rng.randint(1, p)), None
    yield "all_cached", u(p, c, r=p), None
    z = rng.randint(1, c)
    yield "reasoning", u(p, c, z=z), None
    yield "reasoning_all", u(p, c, z=c), None
    yield "reasoning_and_cache", u(p, c, r=r, w=w, z=z), None
    for t in f["tiers"]:
        th = t * 1000
        for label, pp in (("tier_at_threshold", th), ("tier_above", th + rng.randint(1, 60000)),
                          ("tier_just_above", th + 1)):
            cc = rng.randint(1, 8000)
            rr = rng.randint(0, pp // 2)
            ww = rng.randint(0, (pp - rr) // 4)
            zz = rng.randint(0, cc) if f["reasoning"] or rng.random() < 0.5 else 0
            yield label, u(pp, cc, r=rr, w=ww, z=zz), None
    for tier in ("flex", "priority"):
        if f[tier]:
            yield f"service_{tier}", u(p, c, r=r), tier
            yield f"service_{tier}_reasoning", u(p, c, r=r, z=z), tier
            if f["tiers"]:
                th = f["tiers"][0] * 1000
                yield f"service_{tier}_tier_above", u(th + 1234, c, r=rng.randint(0, th // 2)), tier
    if f["batch"]:
        yield "batch", u(p, c), "batch"
        yield "batch_cache_read", u(p, c, r=r), "batch"
        if f["tiers"]:
            yield "batch_tier_above", u(f["tiers"][0] * 1000 + 777, c), "batch"


def provider_arg(key, litellm_provider):
    """None when LiteLLM infers the provider from the key itself; else the provider to pass."""
    try:
        litellm.get_llm_provider(model=key)
        return None
    except Exception:  # noqa: BLE001
        return litellm_provider.split("-")[0]  # e.g. vertex_ai-language-models -> vertex_ai


def litellm_args_for(key, mode, usage, tier, provider=None):
    P, C = usage["input_tokens"], usage["output_tokens"]
    R, W, Z = usage["cache_read_input_tokens"], usage["cache_creation_input_tokens"], usage["reasoning_output_tokens"]
    args = {"model": key}
    if provider is not None:
        args["custom_llm_provider"] = provider
    if Z:
        args["usage_object"] = {"prompt_tokens": P, "completion_tokens": C, "total_tokens": P + C,
                                "reasoning_tokens": Z}
        if R:
            args["usage_object"]["cache_read_input_tokens"] = R
        if W:
            args["usage_object"]["cache_creation_input_tokens"] = W
    else:
        args.update(prompt_tokens=P, completion_tokens=C)
        if R:
            args["cache_read_input_tokens"] = R
        if W:
            args["cache_creation_input_tokens"] = W
    if tier == "batch":
        args["call_type"] = "retrieve_batch"
    elif tier is not None:
        args["service_tier"] = tier
    if mode == "embedding":
        args["call_type"] = "embedding"
    return args


def call_litellm(args):
    kw = dict(args)
    if "usage_object" in kw:
        kw["usage_object"] = Usage(**kw["usage_object"])
    return litellm.cost_per_token(**kw)


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-15)


def main():
    cat = load_catalog()
    models = cat["models"]
    rng = random.Random(SEED)
    chosen = select_models(models, rng)
    out = []
    disagreements = []
    token = _internal_context._billing_time.set(datetime(2026, 10, 21, 12, 0, tzinfo=timezone.utc))
    try:
        for group, key in chosen:
            m = models[key]
            f = features(m)
            for label, usage, tier in usage_cases(m, f, rng):
                args = litellm_args_for(key, m["mode"], usage, tier, provider_arg(key, m["litellm_provider"]))
                try:
                    pc, cc = call_litellm(args)
                except Exception as e:  # noqa: BLE001
                    print(f"skip {key} {label}: {type(e).__name__}: {e}", file=sys.stderr)
                    continue
                if "usage_object" not in args:
                    # self-check: the kwargs path and an inclusive Usage object price alike
                    uo = {k: v for k, v in args.items() if k in ("prompt_tokens", "completion_tokens",
                          "cache_read_input_tokens", "cache_creation_input_tokens")}
                    uo["total_tokens"] = uo["prompt_tokens"] + uo["completion_tokens"]
                    alt = dict({k: v for k, v in args.items() if k not in uo}, usage_object=uo)
                    assert call_litellm(alt) == (pc, cc), (key, label)
                if tier == "batch":
                    gp, gc = batch_rule(m, usage)
                else:
                    gp, gc = generic_rule(m, m["litellm_provider"], usage, tier)
                agrees = close(pc, gp) and close(cc, gc)
                case = {
                    "id": f"{len(out):04d}-{label}",
                    "group": group,
                    "model": key,
                    "litellm_provider": m["litellm_provider"],
                    "mode": m["mode"],
                    "service_tier": tier,
                    "usage": usage,
                    "litellm_args": args,
                    "expected": {"prompt_cost": pc, "completion_cost": cc, "total": pc + cc},
                    "generic_rule_agrees": agrees,
                }
                if not agrees:
                    case["note"] = f"generic rule gives prompt={gp!r} completion={gc!r}"
                    disagreements.append(case)
                out.append(case)
    finally:
        _internal_context._billing_time.reset(token)

    # json.dumps writes floats with repr() (shortest round-trip) precision
    with OUT.open("w", encoding="utf-8") as fh:
        for c in out:
            fh.write(json.dumps(c, sort_keys=True, ensure_ascii=False) + "\n")

    groups = {}
    for c in out:
        groups.setdefault(c["group"], set()).add(c["model"])
    print(f"wrote {OUT}: {len(out)} cases, {len({c['model'] for c in out})} distinct models")
    for g, ms in groups.items():
        print(f"  {g:10s} {len(ms):3d} models")
    labels = {}
    for c in out:
        labels[c["id"].split("-", 1)[1]] = labels.get(c["id"].split("-", 1)[1], 0) + 1
    print("cases per kind:", dict(sorted(labels.items())))
    print(f"{len(disagreements)} cases where LiteLLM differs from the generic rule:")
    for c in disagreements:
        print(f"  {c['id']} {c['model']} ({c['litellm_provider']}) tier={c['service_tier']} "
              f"usage={c['usage']} litellm=({c['expected']['prompt_cost']!r}, {c['expected']['completion_cost']!r}) "
              f"{c['note']}")


if __name__ == "__main__":
    main()
