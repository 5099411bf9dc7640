#!/usr/bin/env python3
"""Chat-format prompt-token reference cases (chat_reference.jsonl).

Each output line:
  {"id": ..., "messages": [...], "tools": [...]|null,
   "counts": {"gpt-4o": {...}, "gpt-4": {...}}}
gpt-4o uses o200k_base, gpt-4 uses cl100k_base. Fields of each counts object:

  messages_cookbook   OpenAI cookbook "How to count tokens with tiktoken", section 6,
                      num_tokens_from_messages(), reproduced exactly:
                        for each message: 3 (tokens_per_message)
                          + for EVERY key/value pair: len(encode(value))
                          + 1 more if the key is "name" (tokens_per_name)
                        + 3 once ("every reply is primed with <|start|>assistant<|message|>").
                      The same constants (3, 1, +3) hold for gpt-4o(-mini), gpt-4-0613, gpt-4,
                      gpt-3.5-turbo-0125. Note the cookbook counts every key, so a tool message's
                      "tool_call_id" value is counted as text. null when some value is not a
                      string (multi-part content, tool_calls, content null): the cookbook would
                      raise there.
                      One deviation: encode_ordinary instead of encode(), i.e. "<|endoftext|>"
                      in content is counted as text (cookbook's encode() would raise).
  messages_extended   OUR rule for every message shape (what the Rust processor should do):
                        per message 3 + len(role) ;
                        content: str -> len(content); list of parts -> sum of len(part.text)
                          over parts of type "text"/"input_text"/"output_text"; non-text parts
                          (images, audio, files) count 0 here (they are estimated elsewhere);
                          null -> 0 ;
                        name -> len(name) + 1 ;
                        tool_call_id -> len(tool_call_id) (as the cookbook does) ;
                        tool_calls -> for each call: len(function.name) + len(function.arguments) + 1
                          (same approximation as tiktoken-rs 0.12 num_tokens_from_messages,
                          FUNCTION_CALL_OVERHEAD = 1; call ids and "type" are not counted);
                        + 3 reply priming once.
                      For all-string messages without tool_call_id, messages_extended ==
                      messages_cookbook (checked by this script).
  tools_cookbook      tokens for the tool DEFINITIONS, cookbook section 7, num_tokens_for_tools()
                      minus its num_tokens_from_messages() part:
                        per function: func_init + len(name + ":" + description.rstrip one ".")
                          if properties: prop_init + per property: prop_key
                            + (enum: enum_init + per item: enum_item + len(item))
                            + len(f"{key}:{type}:{description.rstrip one '.'}")
                        + func_end once if there is at least one function.
                        gpt-4o: func_init 7, prop_init 3, prop_key 3, enum_init -3, enum_item 3, func_end 12
                        gpt-4:  func_init 10, same others.
                      Missing "description" is treated as "" and missing "type" as "" (the
                      cookbook would raise KeyError). Nested objects/arrays are NOT descended
                      into (the cookbook ignores them). null when there are no tools.
  total_cookbook      messages_cookbook + tools_cookbook (= num_tokens_for_tools()), or
                      messages_cookbook when there are no tools; null if messages_cookbook is null.
  total_extended      messages_extended + (tools_cookbook or 0).
  litellm             litellm.token_counter(model=..., messages=..., tools=...) as a third-party
                      cross-check (different tool-definition approximation: it renders tools as a
                      TypeScript namespace, +9, -4 with a system message; counts only
                      tool_calls arguments; long strings are sampled/extrapolated, so NOT exact
                      beyond TOKEN_COUNTER_MAX_EXACT_CHARS). Informational only.
  api_reported        only on the two cookbook example cases: the prompt_tokens the cookbook
                      notebook shows the OpenAI API returned (gpt-4o 124/101, gpt-4 129/105).

Run offline exactly like reference_counts.py (same venv, same TIKTOKEN_CACHE_DIR trick):
    /tmp/tok-venv/bin/python chat_reference.py [--check]
Pinned: tiktoken==0.14.0, litellm==1.106.2, Python 3.11.7.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_counts import setup_offline_cache  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "chat_reference.jsonl")
MODELS = {"gpt-4o": "o200k_base", "gpt-4": "cl100k_base"}
TOOL_CONSTS = {
    "gpt-4o": dict(func_init=7, prop_init=3, prop_key=3, enum_init=-3, enum_item=3, func_end=12),
    "gpt-4": dict(func_init=10, prop_init=3, prop_key=3, enum_init=-3, enum_item=3, func_end=12),
}
TEXT_PART_TYPES = ("text", "input_text", "output_text")


def cookbook_messages(enc, messages):
    n = 0
    for m in messages:
        n += 3
        for k, v in m.items():
            if not isinstance(v, str):
                return None
            n += len(enc.encode_ordinary(v))
            if k == "name":
                n += 1
    return n + 3


def extended_messages(enc, messages):
    L = lambda s: len(enc.encode_ordinary(s))  # noqa: E731
    n = 0
    for m in messages:
        n += 3 + L(m["role"])
        c = m.get("content")
        if isinstance(c, str):
            n += L(c)
        elif isinstance(c, list):
            for p in c:
                if p.get("type") in TEXT_PART_TYPES:
                    n += L(p.get("text", ""))
        if "name" in m:
            n += L(m["name"]) + 1
        if "tool_call_id" in m:
            n += L(m["tool_call_id"])
        for tc in m.get("tool_calls") or []:
            f = tc["function"]
            n += L(f["name"]) + L(f.get("arguments", "")) + 1
    return n + 3


def cookbook_tools(enc, model, tools):
    if not tools:
        return None
    k = TOOL_CONSTS[model]
    L = lambda s: len(enc.encode_ordinary(s))  # noqa: E731
    n = 0
    for t in tools:
        f = t["function"]
        n += k["func_init"]
        desc = f.get("description", "")
        if desc.endswith("."):
            desc = desc[:-1]
        n += L(f["name"] + ":" + desc)
        props = (f.get("parameters") or {}).get("properties") or {}
        if len(props) > 0:
            n += k["prop_init"]
            for key, p in props.items():
                n += k["prop_key"]
                if "enum" in p:
                    n += k["enum_init"]
                    for item in p["enum"]:
                        n += k["enum_item"] + L(str(item))
                pdesc = p.get("description", "")
                if pdesc.endswith("."):
                    pdesc = pdesc[:-1]
                n += L(f"{key}:{p.get('type', '')}:{pdesc}")
    return n + k["func_end"]


# ---------------------------------------------------------------- cases
WEATHER_TOOL = {"type": "function", "function": {
    "name": "get_current_weather", "description": "Get the current weather in a given location",
    "parameters": {"type": "object", "properties": {
        "location": {"type": "string", "description": "The city and state, e.g. San Francisco, CA"},
        "unit": {"type": "string", "description": "The unit of temperature to return", "enum": ["celsius", "fahrenheit"]}},
        "required": ["location"]}}}
SEARCH_TOOL = {"type": "function", "function": {
    "name": "search_docs", "description": "Search the internal documentation.",
    "parameters": {"type": "object", "properties": {
        "query": {"type": "string", "description": "Full-text query."},
        "limit": {"type": "integer", "description": "Maximum number of hits."},
        "filters": {"type": "object", "description": "Optional filters.", "properties": {"lang": {"type": "string"}}}},
        "required": ["query"]}}}
NOARG_TOOL = {"type": "function", "function": {"name": "get_time", "description": "Return the current UTC time.",
                                               "parameters": {"type": "object", "properties": {}}}}
NODESC_TOOL = {"type": "function", "function": {"name": "lookup_order",
                                                "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}}}}}

COOKBOOK_MSGS = [
    {"role": "system", "content": "You are a helpful, pattern-following assistant that translates corporate jargon into plain English."},
    {"role": "system", "name": "example_user", "content": "New synergies will help drive top-line growth."},
    {"role": "system", "name": "example_assistant", "content": "Things working well together will increase revenue."},
    {"role": "system", "name": "example_user", "content": "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage."},
    {"role": "system", "name": "example_assistant", "content": "Let's talk later when we're less busy about how to do better."},
    {"role": "user", "content": "This late pivot means we don't have time to boil the ocean for the client deliverable."},
]
COOKBOOK_TOOL_MSGS = [
    {"role": "system", "content": "You are a helpful assistant that can answer to questions about the weather."},
    {"role": "user", "content": "What's the weather like in San Francisco?"},
]


def tc(id_, name, args):
    return {"id": id_, "type": "function", "function": {"name": name, "arguments": json.dumps(args) if not isinstance(args, str) else args}}


def cases():
    C = []

    def add(id_, messages, tools=None, api=None):
        C.append({"id": id_, "messages": messages, "tools": tools, "api": api})

    add("cookbook/example_messages", COOKBOOK_MSGS, api={"gpt-4o": 124, "gpt-4": 129})
    add("cookbook/weather_tools", COOKBOOK_TOOL_MSGS, [WEATHER_TOOL], api={"gpt-4o": 101, "gpt-4": 105})
    add("basic/empty_list", [])
    add("basic/single_user", [{"role": "user", "content": "Hello!"}])
    add("basic/empty_content", [{"role": "user", "content": ""}])
    add("basic/system_user", [{"role": "system", "content": "You are a concise assistant."}, {"role": "user", "content": "What is OpenTelemetry?"}])
    add("basic/developer_role", [{"role": "developer", "content": "Answer in JSON."}, {"role": "user", "content": "List three colors."}])
    add("basic/multi_turn", [
        {"role": "system", "content": "You are a math tutor."},
        {"role": "user", "content": "What's 12 * 13?"},
        {"role": "assistant", "content": "12 * 13 = 156."},
        {"role": "user", "content": "And 156 / 4?"},
        {"role": "assistant", "content": "156 / 4 = 39."},
        {"role": "user", "content": "Thanks! Now explain why."}])
    add("name/user_names", [{"role": "user", "name": "alice", "content": "Hi, I'm Alice."}, {"role": "user", "name": "bob_42", "content": "And I'm Bob."}])
    add("name/assistant_name", [{"role": "assistant", "name": "helper-bot", "content": "How can I help?"}, {"role": "user", "content": "Reset my password."}])
    add("text/cjk", [{"role": "system", "content": "请用中文回答。"}, {"role": "user", "content": "東京の天気はどうですか？ 서울은요?"}])
    add("text/emoji_zwj", [{"role": "user", "content": "Rate this 👨‍👩‍👧‍👦 🏳️‍🌈 👍🏽 out of 10 🔥🔥🔥"}])
    add("text/code_block", [{"role": "user", "content": "Fix this:\n```python\ndef f(x):\n    return x +\n```\n"}, {"role": "assistant", "content": "```python\ndef f(x):\n    return x + 1\n```"}])
    add("text/special_token_text", [{"role": "user", "content": "What does <|endoftext|> mean? And <|im_start|>?"}])
    add("text/whitespace_heavy", [{"role": "user", "content": "a" + " " * 200 + "b\n\n\n\t\tc"}])
    add("text/long_user", [{"role": "user", "content": " ".join(["The collector batches spans before export."] * 200)}])
    add("parts/text_parts", [{"role": "user", "content": [{"type": "text", "text": "Describe the difference between"}, {"type": "text", "text": " traces and logs."}]}])
    add("parts/text_and_image", [{"role": "user", "content": [{"type": "text", "text": "What is in this image?"},
                                                              {"type": "image_url", "image_url": {"url": "https://example.com/cat.png", "detail": "low"}}]}])
    add("parts/system_parts", [{"role": "system", "content": [{"type": "text", "text": "You are terse."}]}, {"role": "user", "content": "Why is the sky blue?"}])
    add("tools/assistant_tool_call", [
        {"role": "user", "content": "What's the weather in Paris?"},
        {"role": "assistant", "content": None, "tool_calls": [tc("call_abc123", "get_current_weather", {"location": "Paris, France", "unit": "celsius"})]}],
        [WEATHER_TOOL])
    add("tools/tool_result", [
        {"role": "user", "content": "What's the weather in Paris?"},
        {"role": "assistant", "content": None, "tool_calls": [tc("call_abc123", "get_current_weather", {"location": "Paris, France", "unit": "celsius"})]},
        {"role": "tool", "tool_call_id": "call_abc123", "content": json.dumps({"temperature": 18, "condition": "cloudy"})},
        {"role": "assistant", "content": "It is 18 °C and cloudy in Paris."},
        {"role": "user", "content": "And tomorrow?"}],
        [WEATHER_TOOL])
    add("tools/parallel_calls", [
        {"role": "system", "content": "Use tools when helpful."},
        {"role": "user", "content": "Weather in Tokyo and Oslo, and search docs for 'retention'."},
        {"role": "assistant", "content": "Let me check.", "tool_calls": [
            tc("call_1", "get_current_weather", {"location": "Tokyo"}),
            tc("call_2", "get_current_weather", {"location": "Oslo", "unit": "celsius"}),
            tc("call_3", "search_docs", {"query": "retention", "limit": 5, "filters": {"lang": "en"}})]},
        {"role": "tool", "tool_call_id": "call_1", "content": "{\"temperature\": 25}"},
        {"role": "tool", "tool_call_id": "call_2", "content": "{\"temperature\": 3}"},
        {"role": "tool", "tool_call_id": "call_3", "content": "[{\"title\": \"Data retention\", \"url\": \"https://docs.example.com/retention\"}]"}],
        [WEATHER_TOOL, SEARCH_TOOL])
    add("tools/definitions_only_system", [{"role": "system", "content": "You can search docs."}, {"role": "user", "content": "Find the setup guide."}], [SEARCH_TOOL])
    add("tools/definitions_only_no_system", [{"role": "user", "content": "What time is it?"}], [NOARG_TOOL])
    add("tools/no_description", [{"role": "user", "content": "Where is order 991?"}], [NODESC_TOOL, WEATHER_TOOL])
    add("tools/three_tools", [{"role": "user", "content": "Hi"}], [WEATHER_TOOL, SEARCH_TOOL, NOARG_TOOL])
    add("tools/call_unicode_args", [
        {"role": "user", "content": "天気は？"},
        {"role": "assistant", "content": "", "tool_calls": [tc("call_x", "get_current_weather", json.dumps({"location": "東京"}, ensure_ascii=False))]},
        {"role": "tool", "tool_call_id": "call_x", "content": "晴れ、25度"}], [WEATHER_TOOL])
    add("tools/call_empty_args", [
        {"role": "user", "content": "Time?"},
        {"role": "assistant", "content": None, "tool_calls": [tc("call_t", "get_time", "{}")]},
        {"role": "tool", "tool_call_id": "call_t", "content": "2024-06-11T12:00:00Z"}], [NOARG_TOOL])
    add("tools/tool_message_with_name", [
        {"role": "user", "content": "Weather in Rome?"},
        {"role": "assistant", "content": None, "tool_calls": [tc("call_r", "get_current_weather", {"location": "Rome"})]},
        {"role": "tool", "tool_call_id": "call_r", "name": "get_current_weather", "content": "{\"temperature\": 30}"}], [WEATHER_TOOL])
    add("mixed/rag_prompt", [
        {"role": "system", "content": "Answer only from the context. Cite sources as [n]."},
        {"role": "user", "content": "Context:\n[1] The batch processor groups spans.\n[2] The memory_limiter drops data under pressure.\n\nQuestion: what does memory_limiter do?"}])
    add("mixed/everything", [
        {"role": "system", "content": "You are a travel agent. Prices in EUR."},
        {"role": "user", "name": "traveler_1", "content": [{"type": "text", "text": "Plan 2 days in Lisbon 🇵🇹"}]},
        {"role": "assistant", "content": "Checking weather first.", "tool_calls": [tc("call_w", "get_current_weather", {"location": "Lisbon, PT"})]},
        {"role": "tool", "tool_call_id": "call_w", "content": "{\"temperature\": 22, \"condition\": \"sunny\"}"},
        {"role": "assistant", "content": "Day 1: Alfama, Belém. Day 2: Sintra."},
        {"role": "user", "content": "Budget: 300 €."}], [WEATHER_TOOL, SEARCH_TOOL])
    return C


def main():
    setup_offline_cache()
    import tiktoken
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # no network fetch of the price map
    try:
        import litellm
    except Exception:  # pragma: no cover
        litellm = None
    rows = []
    for case in cases():
        counts = {}
        for model, encname in MODELS.items():
            enc = tiktoken.get_encoding(encname)
            mc = cookbook_messages(enc, case["messages"])
            me = extended_messages(enc, case["messages"])
            tl = cookbook_tools(enc, model, case["tools"])
            if mc is not None and not any("tool_call_id" in m for m in case["messages"]):
                assert mc == me, (case["id"], model, mc, me)
            entry = {
                "messages_cookbook": mc,
                "messages_extended": me,
                "tools_cookbook": tl,
                "total_cookbook": None if mc is None else mc + (tl or 0),
                "total_extended": me + (tl or 0),
            }
            if litellm is not None:
                try:
                    entry["litellm"] = litellm.token_counter(model=model, messages=case["messages"], tools=case["tools"],
                                                             use_default_image_token_count=True)
                except Exception as ex:  # record, don't fail
                    entry["litellm"] = None
                    entry["litellm_error"] = type(ex).__name__
            if case["api"]:
                entry["api_reported"] = case["api"][model]
            counts[model] = entry
        rows.append({"id": case["id"], "messages": case["messages"], "tools": case["tools"], "counts": counts})
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if "--check" in sys.argv:
        with open(OUT, encoding="utf-8") as f:
            ok = f.read() == data
        print("chat_reference.jsonl up to date" if ok else "chat_reference.jsonl is stale")
        sys.exit(0 if ok else 1)
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(data)
    print(f"wrote {OUT}: {len(rows)} cases")
    for r in rows:
        print(r["id"], {m: (c["total_cookbook"], c["total_extended"], c.get("litellm"), c.get("api_reported")) for m, c in r["counts"].items()})


if __name__ == "__main__":
    main()
