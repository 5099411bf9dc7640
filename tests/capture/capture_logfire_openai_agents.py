"""Capture the OpenAI Agents SDK as Logfire exports it (logfire.instrument_openai_agents()),
against the fake OpenAI server, through the Chat Completions API or the Responses API (the SDK's
default). Usage: python capture_logfire_openai_agents.py [chat|responses]

Logfire turns the SDK's own trace (agent, generation, function spans) into OTel spans; with
`send_to_logfire=False` nothing leaves the process and an extra span processor hands the spans
to the in-memory exporter: what Logfire's OTLP export carries. The SDK's own export to OpenAI's
backend gets a fake key and no reachable host. Workload as capture_openai_agents.py (a run, a
run with one tool, a streamed run).
"""
import asyncio

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

from agents import (  # noqa: E402
    Agent, OpenAIChatCompletionsModel, OpenAIResponsesModel, Runner, function_tool,
    set_tracing_export_api_key,
)
from openai import AsyncOpenAI  # noqa: E402

set_tracing_export_api_key("sk-fake-key")
client = AsyncOpenAI(base_url=base + "/v1", api_key="sk-fake-key")
# the Chat Completions API, or the Responses API (the SDK's default)
Model = OpenAIResponsesModel if api == "responses" else OpenAIChatCompletionsModel
model = Model(model="gpt-4o", openai_client=client)

agent = Agent(name="capital_agent", instructions="You are a helpful assistant.", model=model)
assert Runner.run_sync(agent, "What is the capital of France?").final_output


@function_tool
def get_weather(location: str) -> str:
    """Get the weather for a city."""
    return f"Sunny in {location}"


weather = Agent(name="weather_agent", instructions="Answer with the weather.", model=model,
                tools=[get_weather])
assert Runner.run_sync(weather, "What's the weather in Paris?").final_output


async def streamed():
    # a client of this event loop (run_sync's loop is gone)
    m = Model(model="gpt-4o", openai_client=AsyncOpenAI(base_url=base + "/v1", api_key="sk-fake-key"))
    a = Agent(name="capital_agent", instructions="You are a helpful assistant.", model=m)
    run = Runner.run_streamed(a, "What is the capital of France?")
    async for _ in run.stream_events():
        pass
    return run.final_output


assert asyncio.run(streamed())
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
