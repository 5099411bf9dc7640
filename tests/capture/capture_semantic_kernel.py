"""Capture Semantic Kernel's (Python) own GenAI diagnostics against the fake OpenAI server.
Usage: python capture_semantic_kernel.py

Workload: a chat completion (system + user) with OpenAIChatCompletion, a streamed one, a
kernel function call with automatic function calling (model call -> plugin function -> model
call), and an embedding with OpenAITextEmbedding (SK's diagnostics trace none: checked). Diagnostics with sensitive content are turned on by their environment variables.
"""
import asyncio
import os

os.environ["SEMANTICKERNEL_EXPERIMENTAL_GENAI_ENABLE_OTEL_DIAGNOSTICS"] = "true"
os.environ["SEMANTICKERNEL_EXPERIMENTAL_GENAI_ENABLE_OTEL_DIAGNOSTICS_SENSITIVE"] = "true"

import capture_common as cc  # noqa: E402

srv, base = cc.start_server()
cc.set_fake_env(base)
tp, sx, lp, lx = cc.setup_otel()

from openai import AsyncOpenAI  # noqa: E402
from semantic_kernel import Kernel  # noqa: E402
from semantic_kernel.connectors.ai.function_choice_behavior import FunctionChoiceBehavior  # noqa: E402
from semantic_kernel.connectors.ai.open_ai import (  # noqa: E402
    OpenAIChatCompletion, OpenAIChatPromptExecutionSettings, OpenAITextEmbedding,
)
from semantic_kernel.contents import ChatHistory  # noqa: E402
from semantic_kernel.functions import kernel_function  # noqa: E402


class Weather:
    @kernel_function(description="Get the weather for a city.")
    def get_weather(self, location: str) -> str:
        return f"Sunny in {location}"


async def main():
    client = AsyncOpenAI(base_url=base + "/v1", api_key="sk-fake-key")
    chat = OpenAIChatCompletion(ai_model_id="gpt-4o", async_client=client)
    history = ChatHistory(system_message="You are a helpful assistant.")
    history.add_user_message("What is the capital of France?")
    settings = OpenAIChatPromptExecutionSettings()
    await chat.get_chat_message_content(history, settings)
    async for _ in chat.get_streaming_chat_message_content(history, settings):
        pass
    kernel = Kernel()
    kernel.add_service(chat)
    kernel.add_plugin(Weather(), "weather")
    tools = OpenAIChatPromptExecutionSettings(function_choice_behavior=FunctionChoiceBehavior.Auto())
    h = ChatHistory()
    h.add_user_message("What's the weather in Paris?")
    out = await chat.get_chat_message_content(h, tools, kernel=kernel)
    assert out, out
    # an embedding: the request reaches the server, SK's diagnostics make no span of it
    before = len(sx.get_finished_spans())
    embedder = OpenAITextEmbedding(ai_model_id="text-embedding-3-small", async_client=client)
    vectors = await embedder.generate_embeddings(["hello world"])
    assert len(vectors) == 1, vectors
    assert len(sx.get_finished_spans()) == before, "SK traces embeddings now: capture them"


asyncio.run(main())
versions = cc.pkg_versions(["semantic-kernel", "opentelemetry-sdk", "openai"])
cc.write_fixture(
    "semantic_kernel.json", versions[0],
    "Python, SEMANTICKERNEL_EXPERIMENTAL_GENAI_ENABLE_OTEL_DIAGNOSTICS(_SENSITIVE)=true; OpenAIChatCompletion"
    " chat, streamed chat, chat with auto function calling of a kernel plugin, then an OpenAITextEmbedding"
    " embedding (no span: SK's diagnostics trace chat and text completion only). Versions: " + ", ".join(versions),
    {"chat (each model call)": cc.FAKE_USAGE["openai_chat"]},
    sx, lx)
