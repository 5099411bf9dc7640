"""Capture OpenInference (Arize) instrumentation output. Usage: python capture_openinference.py openai|anthropic"""
import sys

import capture_common as cc

provider = sys.argv[1]
srv, base = cc.start_server()
cc.set_fake_env(base)
tp, sx, lp, lx = cc.setup_otel()
if provider == "openai":
    from openinference.instrumentation.openai import OpenAIInstrumentor as Inst
    pkg = "openinference-instrumentation-openai"
else:
    from openinference.instrumentation.anthropic import AnthropicInstrumentor as Inst
    pkg = "openinference-instrumentation-anthropic"
Inst().instrument(tracer_provider=tp)
if provider == "openai":
    cc.run_openai_workload(base, responses=True)
    fake = {"chat (stream and non-stream, tools)": cc.FAKE_USAGE["openai_chat"],
            "embeddings": cc.FAKE_USAGE["openai_embeddings"], "responses": cc.FAKE_USAGE["openai_responses"]}
    calls = ("chat (temperature=0.7, max_tokens=100, top_p=1.0, seed=42), chat stream with include_usage, "
             "chat with tools, embeddings, responses.create")
else:
    cc.run_anthropic_workload(base)
    fake = {"messages (all calls, stream and non-stream)": cc.FAKE_USAGE["anthropic_messages"]}
    calls = ("messages.create (system, max_tokens=100), messages.stream(), messages.create(stream=True), "
             "messages.create with tools (tool_use response)")
versions = cc.pkg_versions([pkg, "openinference-instrumentation", "openinference-semantic-conventions",
                            "opentelemetry-sdk", "openai" if provider == "openai" else "anthropic"])
cc.write_fixture(f"openinference_{provider}.json", versions[0],
                 f"Python, {Inst.__name__}().instrument(tracer_provider=...), default TraceConfig (content on, "
                 "OPENINFERENCE_HIDE_* unset). ANTHROPIC_OPEN_TELEMETRY=false (SDK's own spans off). Calls in order: "
                 + calls + ". Versions: " + ", ".join(versions), fake, sx, lx)
