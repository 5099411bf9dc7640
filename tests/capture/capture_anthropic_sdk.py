"""Capture the Anthropic Python SDK's own OpenTelemetry tracing (anthropic>=2.x, module anthropic._tracing).
It is on by default once a global TracerProvider is set; ANTHROPIC_OPEN_TELEMETRY=false turns it off.
Usage: python capture_anthropic_sdk.py [content|default]
"""
import os
import sys

mode = sys.argv[1] if len(sys.argv) > 1 else "content"
os.environ["ANTHROPIC_OPEN_TELEMETRY"] = "true"
if mode == "content":
    os.environ["ANTHROPIC_OPEN_TELEMETRY_TRACES_CONTENT_MODE"] = "content"

import capture_common as cc  # noqa: E402

srv, base = cc.start_server()
cc.set_fake_env(base)
tp, sx, lp, lx = cc.setup_otel()
cc.run_anthropic_workload(base)
versions = cc.pkg_versions(["anthropic", "opentelemetry-sdk"])
env = {"ANTHROPIC_OPEN_TELEMETRY": "true"}
if mode == "content":
    env["ANTHROPIC_OPEN_TELEMETRY_TRACES_CONTENT_MODE"] = "content"
cc.write_fixture(
    "anthropic_sdk.json" if mode == "content" else "anthropic_sdk_no_content.json", versions[0],
    f"Python, no instrumentation library: the anthropic SDK's built-in tracing with a global TracerProvider, env {env}. "
    "Calls: messages.create (system, max_tokens=100), messages.stream(), messages.create(stream=True), "
    "messages.create with tools. Versions: " + ", ".join(versions),
    {"messages (all calls)": cc.FAKE_USAGE["anthropic_messages"]}, sx, lx)
