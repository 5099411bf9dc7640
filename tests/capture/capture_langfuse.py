"""Capture Langfuse Python SDK (OTel-based, v3+) spans offline.
Langfuse(span_exporter=InMemorySpanExporter, tracer_provider=<our provider>, base_url=<fake server>):
the in-memory exporter receives exactly what Langfuse would send over OTLP (after its span filter).
Workload: langfuse.openai drop-in wrapper (chat, chat stream, embeddings), an @observe(as_type="generation")
function that reports model/usage_details/cost_details by hand, and a manual start_as_current_observation
span + generation.
"""
import os

import capture_common as cc

srv, base = cc.start_server()
cc.set_fake_env(base)
os.environ.update({"LANGFUSE_PUBLIC_KEY": "pk-lf-fake", "LANGFUSE_SECRET_KEY": "sk-lf-fake",
                   "LANGFUSE_BASE_URL": base, "LANGFUSE_HOST": base, "LANGFUSE_TRACING_ENVIRONMENT": "capture"})

from opentelemetry.sdk.trace import TracerProvider  # noqa: E402
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter  # noqa: E402
from opentelemetry import trace  # noqa: E402

sx = InMemorySpanExporter()
tp = TracerProvider()
trace.set_tracer_provider(tp)

from langfuse import Langfuse, observe  # noqa: E402

kw = dict(public_key="pk-lf-fake", secret_key="sk-lf-fake", tracer_provider=tp, span_exporter=sx)
import inspect  # noqa: E402
params = inspect.signature(Langfuse.__init__).parameters
kw["base_url" if "base_url" in params else "host"] = base
OUT = os.environ.get("CAPTURE_OUT", "langfuse.json")
if "span_exporter" in params:
    how = "Langfuse(span_exporter=InMemorySpanExporter(), tracer_provider=TracerProvider(), base_url=<fake>) -- spans as Langfuse would export them"
else:  # langfuse 3.x: no span_exporter parameter; read spans straight off our provider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    tp.add_span_processor(SimpleSpanProcessor(sx))
    del kw["span_exporter"]
    how = ("Langfuse(tracer_provider=TracerProvider(), host=<fake>) with our own SimpleSpanProcessor(InMemorySpanExporter) "
           "on that provider (this version has no span_exporter parameter; its OTLP export to the fake host fails harmlessly)")
lf = Langfuse(**kw)

from langfuse.openai import openai as lf_openai  # noqa: E402

client = lf_openai.OpenAI(base_url=base + "/v1", api_key="sk-fake-key")
client.chat.completions.create(model="gpt-4o", messages=cc.MESSAGES, temperature=0.7, max_tokens=100,
                               name="wrapped-chat", metadata={"someKey": "someValue"})
st = client.chat.completions.create(model="gpt-4o", messages=cc.MESSAGES, stream=True,
                                    stream_options={"include_usage": True})
for _ in st:
    pass
client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "What's the weather in Paris?"}],
                               tools=cc.WEATHER_TOOL_OPENAI)
try:
    client.embeddings.create(model="text-embedding-3-small", input="hello world")
except Exception as e:  # noqa
    print("embeddings failed", e)


@observe(as_type="generation", name="manual-anthropic-generation")
def call_llm(question):
    lf.update_current_generation(
        model="claude-sonnet-4-20250514",
        model_parameters={"max_tokens": 100, "temperature": 0.7},
        usage_details={"input": 100, "output": 50, "cache_read_input_tokens": 2000,
                       "cache_creation_input_tokens": 300},
        cost_details={"input": 0.0003, "output": 0.00075, "total": 0.00105},
        metadata={"provider": "anthropic"},
    )
    return "Paris is the capital of France."


@observe(name="outer-agent")
def agent():
    return call_llm("What is the capital of France?")


agent()

with lf.start_as_current_observation(name="manual-span", as_type="span", input={"q": "hi"}) as span:
    with span.start_as_current_observation(name="manual-generation", as_type="generation", model="gpt-4o",
                                           input=[{"role": "user", "content": "hi"}],
                                           model_parameters={"temperature": 0.0}) as gen:
        gen.update(output={"role": "assistant", "content": "hello"},
                   usage_details={"input": 1234, "output": 56, "cache_read_input_tokens": 1000,
                                  "reasoning_tokens": 20},
                   cost_details={"total": 0.0123})
lf.flush()
tp.force_flush()
versions = cc.pkg_versions(["langfuse", "opentelemetry-sdk", "openai"])
cc.write_fixture(
    OUT, versions[0],
    "Python, " + how + ". Calls: langfuse.openai wrapper chat (name='wrapped-chat', metadata, "
    "temperature 0.7, max_tokens 100), wrapper chat stream (include_usage), wrapper chat with tools, wrapper embeddings; "
    "@observe(as_type='generation') with update_current_generation(model claude-sonnet-4-20250514, usage_details "
    "{input:100, output:50, cache_read_input_tokens:2000, cache_creation_input_tokens:300}, cost_details) nested in "
    "@observe span 'outer-agent'; manual span + generation (gpt-4o, usage_details {input:1234, output:56, "
    "cache_read_input_tokens:1000, reasoning_tokens:20}, cost_details {total:0.0123}). Versions: " + ", ".join(versions),
    {"openai wrapper calls (server)": cc.FAKE_USAGE["openai_chat"], "embeddings (server)": cc.FAKE_USAGE["openai_embeddings"],
     "manual generation usage_details (hand-set, not from server)": "see notes"},
    sx, None)
