"""Capture Google ADK 1.x's own OpenTelemetry tracing on its native Gemini model (google-genai)
against the fake Gemini API of fake_llm_server.py. Usage: python capture_google_adk_gemini.py

ADK 1.x writes Gemini's candidates count as the output and the thoughts apart
(`gen_ai.usage.experimental.reasoning_tokens`); the fake server answers with thoughts, so the
fixture shows what enrichment must add back. Workload: an agent run (one model call), an agent
with one tool (model call -> tool -> model call), the first agent's run streamed (SSE).
"""
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

model = fake.GEMINI_MODEL
cc.run_adk_workload(model)

versions = cc.pkg_versions(["google-adk", "google-genai", "opentelemetry-sdk"])
cc.write_fixture(
    "google_adk_1x_gemini.json", versions[0],
    "Python, ADK 1.x LlmAgent(model='" + model + "') on its native Gemini client (GOOGLE_GEMINI_BASE_URL at the"
    " fake Gemini API) through InMemoryRunner; an agent run and an agent with one tool, then the first agent's"
    " run streamed (StreamingMode.SSE). Versions: " + ", ".join(versions),
    {"generateContent (each model call)": cc.FAKE_USAGE["gemini"]},
    sx, lx)
