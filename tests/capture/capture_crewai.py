"""Capture CrewAI as instrumented by OpenInference, against the fake OpenAI server.
Usage: python capture_crewai.py

Workload: a crew of one agent with one task, kicked off once, then again with a streaming
LLM (`LLM(stream=True)`). CrewAI's instrumentation traces
the crew and its agents; the model calls are traced by OpenInference's OpenAI instrumentation
beside it (CrewAI calls OpenAI through the openai SDK), as OpenInference documents. CrewAI's own
product telemetry (to crewai.com) is off.
"""
import os

os.environ["CREWAI_DISABLE_TELEMETRY"] = "true"
os.environ["CREWAI_TRACING_ENABLED"] = "false"

import capture_common as cc  # noqa: E402

srv, base = cc.start_server()
cc.set_fake_env(base)
os.environ["OPENAI_API_BASE"] = base + "/v1"
tp, sx, lp, lx = cc.setup_otel()

from openinference.instrumentation.crewai import CrewAIInstrumentor  # noqa: E402

from openinference.instrumentation.openai import OpenAIInstrumentor  # noqa: E402

CrewAIInstrumentor().instrument(tracer_provider=tp)
OpenAIInstrumentor().instrument(tracer_provider=tp)

from crewai import LLM, Agent, Crew, Task  # noqa: E402

llm = LLM(model="openai/gpt-4o", base_url=base + "/v1", api_key="sk-fake-key")
geographer = Agent(role="Geographer", goal="Answer geography questions", backstory="You know capitals.",
                   llm=llm, verbose=False)
task = Task(description="What is the capital of France?", expected_output="A city name.", agent=geographer)
out = Crew(agents=[geographer], tasks=[task], verbose=False).kickoff()
assert str(out), out

streaming = LLM(model="openai/gpt-4o", base_url=base + "/v1", api_key="sk-fake-key", stream=True)
streamer = Agent(role="Geographer", goal="Answer geography questions", backstory="You know capitals.",
                 llm=streaming, verbose=False)
task2 = Task(description="What is the capital of France?", expected_output="A city name.", agent=streamer)
out = Crew(agents=[streamer], tasks=[task2], verbose=False).kickoff()
assert str(out), out

versions = cc.pkg_versions(["openinference-instrumentation-crewai", "openinference-instrumentation-openai", "crewai", "opentelemetry-sdk", "openai"])
cc.write_fixture(
    "crewai_openinference.json", versions[0],
    "Python, CrewAIInstrumentor().instrument(); a crew of one agent and one task, LLM openai/gpt-4o on the fake"
    " server; then the same crew with LLM(stream=True). Versions: " + ", ".join(versions),
    {"chat (each model call)": cc.FAKE_USAGE["openai_chat"]},
    sx, lx)
