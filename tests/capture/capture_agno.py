"""Capture Agno as instrumented by OpenInference, against the fake OpenAI server.
Usage: python capture_agno.py

Workload: an agent run (one model call), an agent with one tool (model call -> tool ->
model call), and the first agent's run streamed (`stream=True`), with Agno's OpenAIChat model.
"""
import capture_common as cc

srv, base = cc.start_server()
cc.set_fake_env(base)
tp, sx, lp, lx = cc.setup_otel()

from openinference.instrumentation.agno import AgnoInstrumentor  # noqa: E402

AgnoInstrumentor().instrument(tracer_provider=tp)

from agno.agent import Agent  # noqa: E402
from agno.models.openai import OpenAIChat  # noqa: E402

model = OpenAIChat(id="gpt-4o", base_url=base + "/v1", api_key="sk-fake-key")
agent = Agent(name="capital_agent", model=model, instructions="You are a helpful assistant.")
out = agent.run("What is the capital of France?")
assert out.content, out


def get_weather(location: str) -> str:
    """Get the weather for a city."""
    return f"Sunny in {location}"


weather = Agent(name="weather_agent", model=model, tools=[get_weather])
out = weather.run("What's the weather in Paris?")
assert out.content, out

chunks = list(agent.run("What is the capital of France?", stream=True))
assert chunks, chunks

versions = cc.pkg_versions(["openinference-instrumentation-agno", "agno", "opentelemetry-sdk", "openai"])
cc.write_fixture(
    "agno_openinference.json", versions[0],
    "Python, AgnoInstrumentor().instrument(); Agent(OpenAIChat gpt-4o).run, an agent with one tool, then the"
    " first agent's run streamed (stream=True). Versions: " + ", ".join(versions),
    {"chat (each model call)": cc.FAKE_USAGE["openai_chat"]},
    sx, lx)
