"""Capture LangChain / LangGraph as instrumented by OpenInference or OpenLLMetry, against the
fake OpenAI server. Usage: python capture_langchain.py <openinference|openllmetry>

Workload: a ChatOpenAI invoke with a system and a user message, a streamed invoke
(stream_usage), a LangGraph ReAct agent with one tool (model call -> tool -> model call), and
an embedding of one query.
The instrumentations write chain/agent spans around the model calls; those carry no usage of
their own or repeat their children's.
"""
import sys

import capture_common as cc

which = sys.argv[1]
srv, base = cc.start_server()
cc.set_fake_env(base)
tp, sx, lp, lx = cc.setup_otel()

if which == "openinference":
    from openinference.instrumentation.langchain import LangChainInstrumentor
    LangChainInstrumentor().instrument(tracer_provider=tp)
    pkgs = ["openinference-instrumentation-langchain", "openinference-semantic-conventions"]
else:
    import os
    os.environ["TRACELOOP_TRACE_CONTENT"] = "true"
    from opentelemetry.instrumentation.langchain import LangchainInstrumentor
    LangchainInstrumentor().instrument(tracer_provider=tp)
    pkgs = ["opentelemetry-instrumentation-langchain", "opentelemetry-semantic-conventions-ai"]

from langchain_core.messages import HumanMessage, SystemMessage  # noqa: E402
from langchain_core.tools import tool  # noqa: E402
from langchain_openai import ChatOpenAI, OpenAIEmbeddings  # noqa: E402
from langgraph.prebuilt import create_react_agent  # noqa: E402

llm = ChatOpenAI(model="gpt-4o", base_url=base + "/v1", api_key="sk-fake-key", temperature=0.7)
msgs = [SystemMessage("You are a helpful assistant."), HumanMessage("What is the capital of France?")]
llm.invoke(msgs)
for _ in ChatOpenAI(model="gpt-4o", base_url=base + "/v1", api_key="sk-fake-key",
                    stream_usage=True).stream(msgs):
    pass


@tool
def get_weather(location: str) -> str:
    """Get the weather for a city."""
    return f"Sunny in {location}"


agent = create_react_agent(llm, [get_weather])
out = agent.invoke({"messages": [HumanMessage("What's the weather in Paris?")]})
assert out["messages"][-1].content, out
# (check_embedding_ctx_length=False: no tiktoken download, the text is sent as it is)
OpenAIEmbeddings(model="text-embedding-3-small", base_url=base + "/v1", api_key="sk-fake-key",
                 check_embedding_ctx_length=False).embed_query("hello world")

versions = cc.pkg_versions(pkgs + ["langchain-core", "langchain-openai", "langgraph", "opentelemetry-sdk", "openai"])
cc.write_fixture(
    f"langchain_{which}.json", versions[0],
    "Python, LangChain ChatOpenAI invoke (system + user), stream (stream_usage), LangGraph"
    " create_react_agent with one tool (two model calls around the tool), OpenAIEmbeddings.embed_query."
    " Versions: " + ", ".join(versions),
    {"chat (each model call)": cc.FAKE_USAGE["openai_chat"], "embeddings": cc.FAKE_USAGE["openai_embeddings"]},
    sx, lx)
