"""Capture opentelemetry-instrumentation-openai-v2 output. Usage: python capture_openai_v2.py VARIANT
VARIANT: default | latest | latest_span_only | latest_no_content
Env vars must be set BEFORE import (semconv opt-in is read once); this script sets them itself.
"""
import capture_env

VARIANTS = {
    "default": {"OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT": "true"},
    "latest": {"OTEL_SEMCONV_STABILITY_OPT_IN": "gen_ai_latest_experimental",
               "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT": "span_and_event"},
    "latest_span_only": {"OTEL_SEMCONV_STABILITY_OPT_IN": "gen_ai_latest_experimental",
                         "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT": "span_only"},
    "latest_no_content": {"OTEL_SEMCONV_STABILITY_OPT_IN": "gen_ai_latest_experimental"},
}
variant = capture_env.select(VARIANTS, "default")

import capture_common as cc  # noqa: E402

srv, base = cc.start_server()
cc.set_fake_env(base)
tp, sx, lp, lx = cc.setup_otel()
from opentelemetry.instrumentation.openai_v2 import OpenAIInstrumentor  # noqa: E402

OpenAIInstrumentor().instrument()
cc.run_openai_workload(base, responses=True)
versions = cc.pkg_versions(["opentelemetry-instrumentation-openai-v2", "opentelemetry-util-genai",
                            "opentelemetry-sdk", "opentelemetry-semantic-conventions", "openai"])
cc.write_fixture(
    f"openai_v2_{variant}.json", versions[0],
    f"Python, OpenAIInstrumentor().instrument(), env {VARIANTS[variant]}. Calls in order: chat (temperature=0.7,"
    " max_tokens=100, top_p=1.0, seed=42), chat stream with include_usage, chat with tools (tool_call response),"
    " embeddings, responses.create (not instrumented by this library if no span appears). Versions: "
    + ", ".join(versions),
    {"chat (stream and non-stream, tools)": cc.FAKE_USAGE["openai_chat"],
     "embeddings": cc.FAKE_USAGE["openai_embeddings"], "responses": cc.FAKE_USAGE["openai_responses"]},
    sx, lx)
