"""Capture Haystack as instrumented by OpenInference, against the fake OpenAI server.
Usage: python capture_haystack.py

Workload: a pipeline of a ChatPromptBuilder and an OpenAIChatGenerator (system + user), run
once; then the generator alone with streaming; then an OpenAITextEmbedder in a pipeline of its own. OpenInference writes a span for the pipeline
and one per component; the generator's carries the model call.
"""
import capture_common as cc

srv, base = cc.start_server()
cc.set_fake_env(base)
tp, sx, lp, lx = cc.setup_otel()

from openinference.instrumentation.haystack import HaystackInstrumentor  # noqa: E402

HaystackInstrumentor().instrument(tracer_provider=tp)

from haystack import Pipeline  # noqa: E402
from haystack.components.builders import ChatPromptBuilder  # noqa: E402
from haystack.components.generators.chat import OpenAIChatGenerator  # noqa: E402
from haystack.dataclasses import ChatMessage  # noqa: E402
from haystack.utils import Secret  # noqa: E402

gen = OpenAIChatGenerator(model="gpt-4o", api_base_url=base + "/v1", api_key=Secret.from_token("sk-fake-key"))
p = Pipeline()
p.add_component("prompt", ChatPromptBuilder(template=[
    ChatMessage.from_system("You are a helpful assistant."),
    ChatMessage.from_user("What is the capital of {{country}}?")], required_variables=["country"]))
p.add_component("llm", gen)
p.connect("prompt.prompt", "llm.messages")
out = p.run({"prompt": {"country": "France"}})
assert out["llm"]["replies"], out

streaming = OpenAIChatGenerator(model="gpt-4o", api_base_url=base + "/v1",
                                api_key=Secret.from_token("sk-fake-key"),
                                streaming_callback=lambda chunk: None,
                                generation_kwargs={"stream_options": {"include_usage": True}})
streaming.run([ChatMessage.from_user("What is the capital of France?")])

from haystack.components.embedders import OpenAITextEmbedder  # noqa: E402

# a component runs traced inside a pipeline only
embed = Pipeline()
embed.add_component("embedder", OpenAITextEmbedder(model="text-embedding-3-small", api_base_url=base + "/v1",
                                                   api_key=Secret.from_token("sk-fake-key")))
assert embed.run({"embedder": {"text": "hello world"}})["embedder"]["embedding"]

versions = cc.pkg_versions(["openinference-instrumentation-haystack", "haystack-ai", "opentelemetry-sdk", "openai"])
cc.write_fixture(
    "haystack_openinference.json", versions[0],
    "Python, HaystackInstrumentor().instrument(); Pipeline(ChatPromptBuilder -> OpenAIChatGenerator) run,"
    " then a streaming OpenAIChatGenerator with include_usage, then Pipeline(OpenAITextEmbedder) run. Versions: "
    + ", ".join(versions),
    {"chat (each model call)": cc.FAKE_USAGE["openai_chat"], "embeddings": cc.FAKE_USAGE["openai_embeddings"]},
    sx, lx)
