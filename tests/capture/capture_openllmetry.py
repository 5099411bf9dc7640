"""Capture OpenLLMetry (Traceloop) instrumentation output.
Usage: python capture_openllmetry.py openai|anthropic [attributes|events] [output-suffix]
  attributes (default): the library's default content mode (use_attributes default)
  events: use_attributes=False -> content emitted as log events instead of span attributes
"""
import os
import sys

provider = sys.argv[1]
mode = sys.argv[2] if len(sys.argv) > 2 else "attributes"
suffix = sys.argv[3] if len(sys.argv) > 3 else ""
os.environ["TRACELOOP_TRACE_CONTENT"] = "true"

import inspect  # noqa: E402
import capture_common as cc  # noqa: E402

srv, base = cc.start_server()
cc.set_fake_env(base)
tp, sx, lp, lx = cc.setup_otel()

kwargs = {}
if provider == "openai":
    from opentelemetry.instrumentation.openai import OpenAIInstrumentor as Inst
    pkg = "opentelemetry-instrumentation-openai"
else:
    from opentelemetry.instrumentation.anthropic import AnthropicInstrumentor as Inst
    pkg = "opentelemetry-instrumentation-anthropic"
params = inspect.signature(Inst.__init__).parameters
if mode == "events":
    if "use_attributes" in params:
        kwargs["use_attributes"] = False
    else:
        kwargs["use_legacy_attributes"] = False
inst = Inst(**kwargs)
ikw = {}
if "event_logger_provider" in inspect.signature(Inst._instrument).parameters or True:
    pass
inst.instrument(tracer_provider=tp)

if provider == "openai":
    cc.run_openai_workload(base, responses=True)
    fake = {"chat (stream and non-stream, tools)": cc.FAKE_USAGE["openai_chat"],
            "embeddings": cc.FAKE_USAGE["openai_embeddings"], "responses": cc.FAKE_USAGE["openai_responses"]}
    calls = ("chat (temperature=0.7, max_tokens=100, top_p=1.0, seed=42), chat stream with include_usage, "
             "chat with tools, embeddings, responses.create")
else:
    cc.run_anthropic_workload(base)
    fake = {"messages (all calls, stream and non-stream)": cc.FAKE_USAGE["anthropic_messages"]}
    calls = ("messages.create (system, max_tokens=100), messages.stream(), "
             "messages.create(stream=True), messages.create with tools (tool_use response)")
tp.force_flush()
versions = cc.pkg_versions([pkg, "opentelemetry-semantic-conventions-ai", "opentelemetry-sdk",
                            "openai" if provider == "openai" else "anthropic"])
name = f"openllmetry_{provider}{'_events' if mode == 'events' else ''}{suffix}.json"
cc.write_fixture(name, versions[0],
                 f"Python, {Inst.__name__}({kwargs}).instrument(), TRACELOOP_TRACE_CONTENT=true. Calls in order: "
                 + calls + ". Versions: " + ", ".join(versions), fake, sx, lx)
