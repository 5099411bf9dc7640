"""Capture MLflow tracing (mlflow-tracing, OpenAI autolog) against the fake OpenAI server.
Usage: python capture_mlflow.py

MLFLOW_USE_DEFAULT_TRACER_PROVIDER=false makes MLflow create its spans with the global OTel
tracer provider, whose in-memory exporter records them: the spans as MLflow exports them over
OTLP (its `mlflow.*` attributes, JSON-encoded). Workload: a chat (system + user), a chat with a
tool and an embedding, inside a traced function (a CHAIN span around the calls), then a chat
streamed without `include_usage` (as most streaming code is written: no usage comes back).
"""
import os

os.environ["MLFLOW_USE_DEFAULT_TRACER_PROVIDER"] = "false"
os.environ.pop("MLFLOW_ENABLE_OTEL_GENAI_SEMCONV", None)
# OTLP export mode (no tracking store): the endpoint is never reached, the global provider's
# in-memory exporter records the spans
os.environ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = "http://127.0.0.1:9/v1/traces"
os.environ["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"] = "http/protobuf"

import capture_common as cc  # noqa: E402

srv, base = cc.start_server()
cc.set_fake_env(base)
tp, sx, lp, lx = cc.setup_otel()

import mlflow  # noqa: E402
import openai  # noqa: E402

mlflow.openai.autolog()
client = openai.OpenAI(base_url=base + "/v1", api_key="sk-fake-key")


@mlflow.trace(span_type="CHAIN")
def answer():
    client.chat.completions.create(model="gpt-4o", messages=cc.MESSAGES)
    client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Weather in Paris?"}],
                                   tools=cc.WEATHER_TOOL_OPENAI)
    client.embeddings.create(model="text-embedding-3-small", input="hello world")


answer()
for _ in client.chat.completions.create(model="gpt-4o", messages=cc.MESSAGES, stream=True):
    pass
versions = cc.pkg_versions(["mlflow-tracing", "opentelemetry-sdk", "openai"])
cc.write_fixture(
    "mlflow.json", versions[0],
    "Python, MLFLOW_USE_DEFAULT_TRACER_PROVIDER=false, mlflow.openai.autolog(); a @mlflow.trace CHAIN function"
    " making a chat, a chat with a tool and an embedding; then a chat streamed without include_usage."
    " Versions: " + ", ".join(versions),
    {"chat (each model call)": cc.FAKE_USAGE["openai_chat"], "embeddings": cc.FAKE_USAGE["openai_embeddings"]},
    sx, lx)
