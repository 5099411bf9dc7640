"""Capture Google ADK's own OpenTelemetry tracing against the fake OpenAI server, through its
LiteLLM model wrapper. Usage: python capture_google_adk.py

Workload: an agent run (one model call), an agent with one tool (model call -> tool -> model
call), and the first agent's run streamed (RunConfig streaming_mode=SSE), each through ADK's
InMemoryRunner.
"""
import capture_common as cc

srv, base = cc.start_server()
cc.set_fake_env(base)
tp, sx, lp, lx = cc.setup_otel()

from google.adk.models.lite_llm import LiteLlm  # noqa: E402

cc.run_adk_workload(LiteLlm(model="openai/gpt-4o", api_base=base + "/v1", api_key="sk-fake-key"))

versions = cc.pkg_versions(["google-adk", "litellm", "opentelemetry-sdk", "openai"])
cc.write_fixture(
    "google_adk.json", versions[0],
    "Python, ADK LlmAgent(LiteLlm('openai/gpt-4o', fake api_base)) through InMemoryRunner; an agent run and an"
    " agent with one tool, then the first agent's run streamed (StreamingMode.SSE). Versions: " + ", ".join(versions),
    {"chat (each model call)": cc.FAKE_USAGE["openai_chat"]},
    sx, lx)
