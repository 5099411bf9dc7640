"""Capture OpenLIT output. Usage: python capture_openlit.py openai|anthropic [nopricing]
openlit.init() reuses the global SDK TracerProvider / LoggerProvider that capture_common installs
(in-memory exporters); metrics off; HTTP-client/framework instrumentors off so only LLM spans remain.
Pricing comes from tests/capture/openlit_pricing.json (per-1K-token prices; see notes in the fixture),
or, with `nopricing`, from an unreadable path (offline: cost falls back to 0).
"""
import json
import os
import sys

import capture_common as cc

provider = sys.argv[1]
nopricing = len(sys.argv) > 2 and sys.argv[2] == "nopricing"
srv, base = cc.start_server()
cc.set_fake_env(base)
tp, sx, lp, lx = cc.setup_otel()
os.environ["OTEL_SDK_DISABLED"] = "false"
import openlit  # noqa: E402

pricing = os.path.join(cc.HERE, "openlit_pricing.json")
NON_LLM = ["asgi", "django", "fastapi", "flask", "pyramid", "starlette", "falcon", "tornado",
           "aiohttp-client", "httpx", "requests", "urllib", "urllib3"]
openlit.init(environment="capture", application_name="capture-app", disable_metrics=True,
             capture_message_content=True, disable_batch=True,
             pricing_json=("/nonexistent/pricing.json" if nopricing else pricing),
             disabled_instrumentors=NON_LLM + (["anthropic"] if provider == "openai" else ["openai"]))
if provider == "openai":
    cc.run_openai_workload(base, responses=True)
    fake = {"chat (stream and non-stream, tools)": cc.FAKE_USAGE["openai_chat"],
            "embeddings": cc.FAKE_USAGE["openai_embeddings"], "responses": cc.FAKE_USAGE["openai_responses"]}
    calls = ("chat (temperature=0.7, max_tokens=100, top_p=1.0, seed=42), chat stream with include_usage, "
             "chat with tools, embeddings, responses.create")
else:
    cc.run_anthropic_workload(base)
    fake = {"messages (all calls, stream and non-stream)": cc.FAKE_USAGE["anthropic_messages"]}
    calls = ("messages.create (system, max_tokens=100), messages.stream(), "
             "messages.create(stream=True), messages.create with tools")
tp.force_flush()
versions = cc.pkg_versions(["openlit", "opentelemetry-sdk", "openai" if provider == "openai" else "anthropic"])
name = f"openlit_{provider}{'_nopricing' if nopricing else ''}.json"
cc.write_fixture(
    name, versions[0],
    "Python, openlit.init(environment='capture', application_name='capture-app', disable_metrics=True, "
    "capture_message_content=True, disable_batch=True, pricing_json=" + ("<missing file>" if nopricing else
    "tests/capture/openlit_pricing.json " + json.dumps(json.load(open(pricing)))) +
    ", HTTP instrumentors disabled) on a pre-set global SDK TracerProvider/LoggerProvider with in-memory exporters. "
    "Calls in order: " + calls + ". Versions: " + ", ".join(versions), fake, sx, lx)
