"""Capture the OpenAI Agents SDK as instrumented by OpenInference or OpenLLMetry, against the
fake OpenAI server, through the Chat Completions API or the Responses API (the SDK's default).
Usage: python capture_openai_agents.py [openinference|openllmetry] [chat|responses]

Workload: an agent run (one model call), a run of an agent with one function tool (model
call -> tool -> model call), and the first agent's run streamed (Runner.run_streamed). OpenInference turns the SDK's own trace (agent, generation,
function spans) into OTel spans; the SDK's export to OpenAI's backend is off.
"""
import asyncio

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

from agents import (  # noqa: E402
    Agent, OpenAIChatCompletionsModel, OpenAIResponsesModel, Runner, function_tool,
    set_tracing_export_api_key,
)
from openai import AsyncOpenAI  # noqa: E402

set_tracing_export_api_key("sk-fake-key")  # the SDK's own exporter posts nowhere reachable
client = AsyncOpenAI(base_url=base + "/v1", api_key="sk-fake-key")
# the Chat Completions API, or the Responses API (the SDK's default)
Model = OpenAIResponsesModel if api == "responses" else OpenAIChatCompletionsModel
model = Model(model="gpt-4o", openai_client=client)

agent = Agent(name="capital_agent", instructions="You are a helpful assistant.", model=model)
out = Runner.run_sync(agent, "What is the capital of France?")
assert out.final_output, out


@function_tool
def get_weather(location: str) -> str:
    """Get the weather for a city."""
    return f"Sunny in {location}"


weather = Agent(name="weather_agent", instructions="Answer with the weather.", model=model,
                tools=[get_weather])
out = Runner.run_sync(weather, "What's the weather in Paris?")
assert out.final_output, out


async def streamed():
    # a client of this event loop (run_sync's loop is gone)
    m = Model(model="gpt-4o", openai_client=AsyncOpenAI(base_url=base + "/v1", api_key="sk-fake-key"))
    a = Agent(name="capital_agent", instructions="You are a helpful assistant.", model=m)
    run = Runner.run_streamed(a, "What is the capital of France?")
    async for _ in run.stream_events():
        pass
    return run.final_output


assert asyncio.run(streamed())

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
