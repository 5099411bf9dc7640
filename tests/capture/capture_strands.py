"""Capture AWS Strands Agents' own OpenTelemetry tracing (strands/telemetry/tracer.py) against
the fake OpenAI server, with its OpenAI model provider. Usage: python capture_strands.py

Workload: an agent call (one model call), an agent with one tool (model call -> tool ->
model call), and the first agent streamed (`stream_async`, its events consumed). Strands writes an `invoke_agent` span with the run's summed usage, an
`execute_event_loop_cycle` span per cycle, a `chat` span per model call and an `execute_tool`
span per tool call.
"""
import asyncio

import capture_common as cc

srv, base = cc.start_server()
cc.set_fake_env(base)
tp, sx, lp, lx = cc.setup_otel()

from strands import Agent, tool  # noqa: E402
from strands.models.openai import OpenAIModel  # noqa: E402

model = OpenAIModel(client_args={"base_url": base + "/v1", "api_key": "sk-fake-key"}, model_id="gpt-4o")
agent = Agent(model=model, system_prompt="You are a helpful assistant.", name="capital_agent",
              callback_handler=None)
agent("What is the capital of France?")


@tool
def get_weather(location: str) -> str:
    """Get the weather for a city."""
    return f"Sunny in {location}"


weather = Agent(model=model, tools=[get_weather], name="weather_agent", callback_handler=None)
weather("What's the weather in Paris?")


async def stream():
    streamed = Agent(model=model, system_prompt="You are a helpful assistant.", name="capital_agent",
                     callback_handler=None)
    async for _ in streamed.stream_async("What is the capital of France?"):
        pass


asyncio.run(stream())

versions = cc.pkg_versions(["strands-agents", "opentelemetry-sdk", "openai"])
cc.write_fixture(
    "strands.json", versions[0],
    "Python, strands Agent(OpenAIModel(gpt-4o, fake base_url)); an agent call, an agent with one tool, the"
    " first agent streamed (stream_async). Versions: " + ", ".join(versions),
    {"chat (each model call)": cc.FAKE_USAGE["openai_chat"]},
    sx, lx)
