"""Capture opentelemetry-instrumentation-google-genai (built on opentelemetry-util-genai) against
the fake Gemini API endpoint of fake_llm_server.py. Usage: python capture_google_genai.py VARIANT
VARIANT: latest (span and event content, the semconv's latest experimental GenAI mode) | default
Env vars must be set BEFORE import (semconv opt-in is read once); this script sets them itself.
"""
import capture_env

VARIANTS = {
    "latest": {"OTEL_SEMCONV_STABILITY_OPT_IN": "gen_ai_latest_experimental",
               "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT": "span_and_event"},
    "default": {"OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT": "true"},
}
variant = capture_env.select(VARIANTS, "latest")

import capture_common as cc  # noqa: E402
import fake_llm_server as fake  # noqa: E402

srv, base = cc.start_server()
cc.set_fake_env(base)
tp, sx, lp, lx = cc.setup_otel()
from opentelemetry.instrumentation.google_genai import GoogleGenAiSdkInstrumentor  # noqa: E402

GoogleGenAiSdkInstrumentor().instrument()

from google import genai  # noqa: E402
from google.genai import types  # noqa: E402

client = genai.Client(api_key="fake-gemini-key", http_options=types.HttpOptions(base_url=base))
config = types.GenerateContentConfig(system_instruction="You are a helpful assistant.", temperature=0.7,
                                     max_output_tokens=100, top_p=1.0, seed=42)
print("gemini generate_content")
client.models.generate_content(model=fake.GEMINI_MODEL, contents="What is the capital of France?", config=config)
print("gemini generate_content_stream")
for _ in client.models.generate_content_stream(model=fake.GEMINI_MODEL, contents="What is the capital of France?"):
    pass
print("gemini tools")
weather = types.Tool(function_declarations=[types.FunctionDeclaration(
    name="get_weather", description="Get the weather for a city",
    parameters=types.Schema(type="OBJECT", properties={"city": types.Schema(type="STRING")}, required=["city"]))])
client.models.generate_content(
    model=fake.GEMINI_MODEL, contents="What's the weather in Paris?",
    config=types.GenerateContentConfig(tools=[weather],
                                       automatic_function_calling=types.AutomaticFunctionCallingConfig(disable=True)))
tp.force_flush()
versions = cc.pkg_versions(["opentelemetry-instrumentation-google-genai", "opentelemetry-util-genai",
                            "opentelemetry-sdk", "opentelemetry-semantic-conventions", "google-genai"])
cc.write_fixture(
    f"google_genai_{variant}.json", versions[0],
    f"Python, GoogleGenAiSdkInstrumentor().instrument(), env {VARIANTS[variant]}, google-genai Client against the"
    " fake Gemini API (base_url). Calls in order: generate_content (system instruction, temperature=0.7,"
    " max_output_tokens=100, top_p=1.0, seed=42), generate_content_stream (usage in the last chunk; the first"
    " carries the prompt count only), generate_content with a function declaration (functionCall response)."
    " Gemini reports candidatesTokenCount without thoughts; the instrumentation adds thoughtsTokenCount to"
    " output_tokens. Versions: " + ", ".join(versions),
    {"generate_content (stream and non-stream, tools)": cc.FAKE_USAGE["gemini"]},
    sx, lx)
