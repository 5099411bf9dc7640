"""Capture PydanticAI's own OpenTelemetry instrumentation (instrument=True, the GenAI semconv
data format of its current version) against the fake OpenAI server.
Usage: python capture_pydantic_ai.py

Workload: an agent run with a system prompt (one model call), a streamed run with
include_usage, a run with a tool (model call -> tool call -> model call with the result
-> final answer), and embeddings (`Embedder`: a query, then two documents). PydanticAI writes an agent span (`invoke_agent`) whose usage is the sum of
its model calls, a `chat gpt-4o` span per model call and an `execute_tool` span per tool call.
"""
import asyncio

import capture_common as cc

srv, base = cc.start_server()
tp, sx, lp, lx = cc.setup_otel()

from pydantic_ai import Agent  # noqa: E402
from pydantic_ai.models.openai import OpenAIChatModel  # noqa: E402
from pydantic_ai.providers.openai import OpenAIProvider  # noqa: E402

model = OpenAIChatModel("gpt-4o", provider=OpenAIProvider(base_url=base + "/v1", api_key="sk-fake"))
Agent.instrument_all()  # the global tracer provider above
agent = Agent(model, system_prompt="You are a helpful assistant.", name="capital_agent")
result = agent.run_sync("What is the capital of France?")
assert result.output, result


async def stream():
    async with agent.run_stream("What is the capital of France?") as r:
        async for _ in r.stream_text():
            pass


asyncio.run(stream())

weather = Agent(model, name="weather_agent")


@weather.tool_plain
def get_weather(location: str) -> str:
    """Get the weather for a city."""
    return f"Sunny in {location}"


result = weather.run_sync("What's the weather in Paris?")
assert result.output, result

from pydantic_ai import Embedder  # noqa: E402
from pydantic_ai.embeddings.openai import OpenAIEmbeddingModel  # noqa: E402

Embedder.instrument_all()
embedder = Embedder(OpenAIEmbeddingModel("text-embedding-3-small",
                                         provider=OpenAIProvider(base_url=base + "/v1", api_key="sk-fake")))
embedder.embed_query_sync("What is the capital of France?")
embedder.embed_documents_sync(["Paris is the capital of France.", "Berlin is the capital of Germany."])

versions = cc.pkg_versions(["pydantic-ai-slim", "opentelemetry-sdk", "openai"])
cc.write_fixture(
    "pydantic_ai.json", versions[0],
    "Python, Agent.instrument_all(), Agent(OpenAIChatModel('gpt-4o', provider=fake)). Runs in order: run_sync"
    " with a system prompt, run_stream (include_usage), run_sync with a tool (two model calls around an"
    " execute_tool span), then Embedder(OpenAIEmbeddingModel('text-embedding-3-small')) embed_query and"
    " embed_documents (two texts). Versions: " + ", ".join(versions),
    {"chat (each model call)": cc.FAKE_USAGE["openai_chat"],
     "embeddings (each call)": cc.FAKE_USAGE["openai_embeddings"]},
    sx, lx)
