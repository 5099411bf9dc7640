"""Capture LlamaIndex as instrumented by OpenInference, against the fake OpenAI server.
Usage: python capture_llama_index.py

Workload: OpenAI LLM chat (system + user), a streamed chat, a FunctionAgent with one tool
(model call -> tool -> model call), and an OpenAIEmbedding of one query. LlamaIndex wraps each model call in `predict`/`chat`
spans of its own; only the innermost carries the usage.
"""
import asyncio

import capture_common as cc

srv, base = cc.start_server()
cc.set_fake_env(base)
tp, sx, lp, lx = cc.setup_otel()

from openinference.instrumentation.llama_index import LlamaIndexInstrumentor  # noqa: E402

LlamaIndexInstrumentor().instrument(tracer_provider=tp)

from llama_index.core.agent.workflow import FunctionAgent  # noqa: E402
from llama_index.core.llms import ChatMessage  # noqa: E402
from llama_index.llms.openai import OpenAI  # noqa: E402

llm = OpenAI(model="gpt-4o", api_base=base + "/v1", api_key="sk-fake-key")
msgs = [ChatMessage(role="system", content="You are a helpful assistant."),
        ChatMessage(role="user", content="What is the capital of France?")]
llm.chat(msgs)
for _ in llm.stream_chat(msgs):
    pass


def get_weather(location: str) -> str:
    """Get the weather for a city."""
    return f"Sunny in {location}"


async def run_agent():
    agent = FunctionAgent(tools=[get_weather], llm=llm, system_prompt="Answer with the weather.")
    return await agent.run("What's the weather in Paris?")


out = asyncio.run(run_agent())
assert str(out), out

from llama_index.embeddings.openai import OpenAIEmbedding  # noqa: E402

OpenAIEmbedding(model="text-embedding-3-small", api_base=base + "/v1",
                api_key="sk-fake-key").get_query_embedding("hello world")

versions = cc.pkg_versions(["openinference-instrumentation-llama-index", "llama-index-core",
                            "llama-index-llms-openai", "llama-index-embeddings-openai", "opentelemetry-sdk",
                            "openai"])
cc.write_fixture(
    "llama_index_openinference.json", versions[0],
    "Python, LlamaIndexInstrumentor().instrument(); OpenAI LLM chat, stream_chat, FunctionAgent with one"
    " tool, OpenAIEmbedding.get_query_embedding. Versions: " + ", ".join(versions),
    {"chat (each model call)": cc.FAKE_USAGE["openai_chat"], "embeddings": cc.FAKE_USAGE["openai_embeddings"]},
    sx, lx)
