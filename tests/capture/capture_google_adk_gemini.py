"""Capture Google ADK 1.x's own OpenTelemetry tracing on its native Gemini model (google-genai)
against the fake Gemini API of fake_llm_server.py. Usage: python capture_google_adk_gemini.py

ADK 1.x writes Gemini's candidates count as the output and the thoughts apart
(`gen_ai.usage.experimental.reasoning_tokens`); the fake server answers with thoughts, so the
fixture shows what enrichment must add back. Workload: an agent run (one model call), an agent
with one tool (model call -> tool -> model call), the first agent's run streamed (SSE).
"""
import asyncio
import os

import capture_common as cc
import fake_llm_server as fake

srv, base = cc.start_server()
cc.set_fake_env(base)
# ADK's Gemini model builds its own google-genai client: the base URL comes from the environment
os.environ["GOOGLE_GEMINI_BASE_URL"] = base
os.environ["GOOGLE_API_KEY"] = "fake-gemini-key"
os.environ["GOOGLE_GENAI_USE_VERTEXAI"] = "false"
tp, sx, lp, lx = cc.setup_otel()

from google.adk.agents import LlmAgent  # noqa: E402
from google.adk.agents.run_config import RunConfig, StreamingMode  # noqa: E402
from google.adk.runners import InMemoryRunner  # noqa: E402
from google.genai import types  # noqa: E402


def get_weather(location: str) -> str:
    """Get the weather for a city."""
    return f"Sunny in {location}"


async def run(agent, text, config=None):
    runner = InMemoryRunner(agent=agent, app_name="capture")
    session = await runner.session_service.create_session(app_name="capture", user_id="u1")
    msg = types.Content(role="user", parts=[types.Part(text=text)])
    async for _ in runner.run_async(user_id="u1", session_id=session.id, new_message=msg, run_config=config):
        pass


model = fake.GEMINI_MODEL
asyncio.run(run(LlmAgent(name="capital_agent", model=model, instruction="You are a helpful assistant."),
                "What is the capital of France?"))
asyncio.run(run(LlmAgent(name="weather_agent", model=model, tools=[get_weather]), "What's the weather in Paris?"))
asyncio.run(run(LlmAgent(name="capital_agent", model=model, instruction="You are a helpful assistant."),
                "What is the capital of France?", RunConfig(streaming_mode=StreamingMode.SSE)))

versions = cc.pkg_versions(["google-adk", "google-genai", "opentelemetry-sdk"])
cc.write_fixture(
    "google_adk_1x_gemini.json", versions[0],
    "Python, ADK 1.x LlmAgent(model='" + model + "') on its native Gemini client (GOOGLE_GEMINI_BASE_URL at the"
    " fake Gemini API) through InMemoryRunner; an agent run and an agent with one tool, then the first agent's"
    " run streamed (StreamingMode.SSE). Versions: " + ", ".join(versions),
    {"generateContent (each model call)": cc.FAKE_USAGE["gemini"]},
    sx, lx)
