"""Capture PydanticAI as Logfire exports it (logfire.instrument_pydantic_ai()), against the fake
OpenAI server. Usage: python capture_logfire_pydantic_ai.py

Logfire sets up its own tracer provider; `send_to_logfire=False` keeps everything local and an
extra span processor hands the spans to the in-memory exporter: what Logfire's OTLP export
carries. Workload as capture_pydantic_ai.py: a run, and a run with one tool.
"""
import capture_common as cc

srv, base = cc.start_server()

import logfire  # noqa: E402
from opentelemetry.sdk.trace.export import SimpleSpanProcessor  # noqa: E402
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter  # noqa: E402

sx = InMemorySpanExporter()
logfire.configure(send_to_logfire=False, console=False, additional_span_processors=[SimpleSpanProcessor(sx)])
logfire.instrument_pydantic_ai()

from pydantic_ai import Agent  # noqa: E402
from pydantic_ai.models.openai import OpenAIChatModel  # noqa: E402
from pydantic_ai.providers.openai import OpenAIProvider  # noqa: E402

model = OpenAIChatModel("gpt-4o", provider=OpenAIProvider(base_url=base + "/v1", api_key="sk-fake"))
agent = Agent(model, system_prompt="You are a helpful assistant.", name="capital_agent")
assert agent.run_sync("What is the capital of France?").output

weather = Agent(model, name="weather_agent")


@weather.tool_plain
def get_weather(location: str) -> str:
    """Get the weather for a city."""
    return f"Sunny in {location}"


assert weather.run_sync("What's the weather in Paris?").output
logfire.force_flush()

versions = cc.pkg_versions(["logfire", "pydantic-ai-slim", "opentelemetry-sdk", "openai"])
cc.write_fixture(
    "pydantic_ai_logfire.json", versions[0],
    "Python, logfire.configure(send_to_logfire=False) + logfire.instrument_pydantic_ai(); a run with a system"
    " prompt and a run with one tool. Versions: " + ", ".join(versions),
    {"chat (each model call)": cc.FAKE_USAGE["openai_chat"]},
    sx, None)
