"""Capture the OpenAI Agents SDK as instrumented by OpenInference or OpenLLMetry, against the
fake OpenAI server, through the Chat Completions API or the Responses API (the SDK's default).
Usage: python capture_openai_agents.py [openinference|openllmetry] [chat|responses]

Workload (capture_common.run_openai_agents_workload): an agent run (one model call), a run of an
agent with one function tool (model call -> tool -> model call), and the first agent's run
streamed (Runner.run_streamed). The instrumentations turn the SDK's own trace (agent,
generation, function spans) into OTel spans; the SDK's export to OpenAI's backend is off.
"""
import capture_common as cc

srv, base = cc.start_server()
cc.set_fake_env(base)
tp, sx, lp, lx = cc.setup_otel()

import sys  # noqa: E402

which = sys.argv[1] if len(sys.argv) > 1 else "openinference"
api = sys.argv[2] if len(sys.argv) > 2 else "chat"  # chat | responses
if which == "openinference":
    from openinference.instrumentation.openai_agents import OpenAIAgentsInstrumentor
    OpenAIAgentsInstrumentor().instrument(tracer_provider=tp)
    pkgs = ["openinference-instrumentation-openai-agents", "openinference-semantic-conventions"]
else:
    from opentelemetry.instrumentation.openai_agents import OpenAIAgentsInstrumentor
    OpenAIAgentsInstrumentor().instrument(tracer_provider=tp)
    pkgs = ["opentelemetry-instrumentation-openai-agents", "opentelemetry-semantic-conventions-ai"]

cc.run_openai_agents_workload(base, api)

versions = cc.pkg_versions(pkgs + ["openai-agents", "opentelemetry-sdk", "openai"])
cc.write_fixture(
    f"openai_agents_{which}{'_responses' if api == 'responses' else ''}.json", versions[0],
    "Python, OpenAIAgentsInstrumentor().instrument(); Runner.run_sync of an agent (one model call) and"
    " of an agent with a function tool (two model calls around the tool), then Runner.run_streamed of the first"
    " agent, " + ("Responses" if api == "responses" else "Chat Completions")
    + " model."
    " Versions: " + ", ".join(versions),
    {"chat (each model call)": cc.FAKE_USAGE["openai_responses" if api == "responses" else "openai_chat"]},
    sx, lx)
