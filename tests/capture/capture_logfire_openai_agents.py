"""Capture the OpenAI Agents SDK as Logfire exports it (logfire.instrument_openai_agents()),
against the fake OpenAI server, through the Chat Completions API or the Responses API (the SDK's
default). Usage: python capture_logfire_openai_agents.py [chat|responses]

Logfire turns the SDK's own trace (agent, generation, function spans) into OTel spans; with
`send_to_logfire=False` nothing leaves the process and an extra span processor hands the spans
to the in-memory exporter: what Logfire's OTLP export carries. The SDK's own export to OpenAI's
backend gets a fake key and no reachable host. Workload as capture_openai_agents.py (a run, a
run with one tool, a streamed run).
"""
import sys

import capture_common as cc

api = sys.argv[1] if len(sys.argv) > 1 else "chat"  # chat | responses

srv, base = cc.start_server()
cc.set_fake_env(base)

import logfire  # noqa: E402
from opentelemetry.sdk.trace.export import SimpleSpanProcessor  # noqa: E402
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter  # noqa: E402

sx = InMemorySpanExporter()
logfire.configure(send_to_logfire=False, console=False, additional_span_processors=[SimpleSpanProcessor(sx)])
logfire.instrument_openai_agents()

cc.run_openai_agents_workload(base, api)
logfire.force_flush()

versions = cc.pkg_versions(["logfire", "openai-agents", "opentelemetry-sdk", "openai"])
cc.write_fixture(
    f"openai_agents_logfire{'_responses' if api == 'responses' else ''}.json", versions[0],
    "Python, logfire.configure(send_to_logfire=False) + logfire.instrument_openai_agents(); Runner.run_sync of"
    " an agent (one model call) and of an agent with a function tool (two model calls around the tool), then"
    " Runner.run_streamed of the first agent, "
    + ("Responses" if api == "responses" else "Chat Completions") + " model."
    " Versions: " + ", ".join(versions),
    {"chat (each model call)": cc.FAKE_USAGE["openai_responses" if api == "responses" else "openai_chat"]},
    sx, None)
