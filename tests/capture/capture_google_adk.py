"""Capture Google ADK's own OpenTelemetry tracing against the fake OpenAI server, through its
LiteLLM model wrapper. Usage: python capture_google_adk.py

Workload: an agent run (one model call), an agent with one tool (model call -> tool -> model
call), and the first agent's run streamed (RunConfig streaming_mode=SSE), each through ADK's
InMemoryRunner.
"""
import asyncio

import capture_common as cc

srv, base = cc.start_server()
cc.set_fake_env(base)
tp, sx, lp, lx = cc.setup_otel()

from google.adk.agents import LlmAgent  # noqa: E402
from google.adk.agents.run_config import RunConfig, StreamingMode  # noqa: E402
from google.adk.models.lite_llm import LiteLlm  # noqa: E402
from google.adk.runners import InMemoryRunner  # noqa: E402
from google.genai import types  # noqa: E402

model = LiteLlm(model="openai/gpt-4o", api_base=base + "/v1", api_key="sk-fake-key")


def get_weather(location: str) -> str:
    """Get the weather for a city."""
    return f"Sunny in {location}"


async def run(agent, text, config=None):
    runner = InMemoryRunner(agent=agent, app_name="capture")
    session = await runner.session_service.create_session(app_name="capture", user_id="u1")
    msg = types.Content(role="user", parts=[types.Part(text=text)])
    async for _ in runner.run_async(user_id="u1", session_id=session.id, new_message=msg, run_config=config):
        pass


asyncio.run(run(LlmAgent(name="capital_agent", model=model, instruction="You are a helpful assistant."),
                "What is the capital of France?"))
asyncio.run(run(LlmAgent(name="weather_agent", model=model, tools=[get_weather]), "What's the weather in Paris?"))
asyncio.run(run(LlmAgent(name="capital_agent", model=model, instruction="You are a helpful assistant."),
                "What is the capital of France?", RunConfig(streaming_mode=StreamingMode.SSE)))

versions = cc.pkg_versions(["google-adk", "litellm", "opentelemetry-sdk", "openai"])
cc.write_fixture(
    "google_adk.json", versions[0],
    "Python, ADK LlmAgent(LiteLlm('openai/gpt-4o', fake api_base)) through InMemoryRunner; an agent run and an"
    " agent with one tool, then the first agent's run streamed (StreamingMode.SSE). Versions: " + ", ".join(versions),
    {"chat (each model call)": cc.FAKE_USAGE["openai_chat"]},
    sx, lx)
