"""Shared helpers for the capture scripts: OTel SDK in-memory exporters + fixture writer."""
import json
import os
import sys
from importlib import metadata

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
OUT_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "rust", "enrich", "tests", "data", "captured"))

from fake_llm_server import FAKE_USAGE, start_server  # noqa: E402,F401


def setup_otel(with_logs=True):
    """Install a global TracerProvider (+ LoggerProvider / EventLoggerProvider) with in-memory exporters."""
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    span_exporter = InMemorySpanExporter()
    tp = TracerProvider()
    tp.add_span_processor(SimpleSpanProcessor(span_exporter))
    trace.set_tracer_provider(tp)
    log_exporter = None
    lp = None
    if with_logs:
        try:
            from opentelemetry.sdk._logs import LoggerProvider
            from opentelemetry.sdk._logs.export import SimpleLogRecordProcessor
            try:
                from opentelemetry.sdk._logs.export import InMemoryLogExporter
            except ImportError:  # older SDKs
                from opentelemetry.sdk._logs.export.in_memory_log_exporter import InMemoryLogExporter
            from opentelemetry import _logs
            log_exporter = InMemoryLogExporter()
            lp = LoggerProvider()
            lp.add_log_record_processor(SimpleLogRecordProcessor(log_exporter))
            _logs.set_logger_provider(lp)
            try:
                from opentelemetry import _events
                from opentelemetry.sdk._events import EventLoggerProvider
                _events.set_event_logger_provider(EventLoggerProvider(lp))
            except ImportError:
                pass
        except ImportError as e:
            print("logs SDK not available:", e, file=sys.stderr)
    return tp, span_exporter, lp, log_exporter


def _val(v):
    if isinstance(v, (list, tuple)):
        return [_val(x) for x in v]
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    if isinstance(v, (bool, int, float, str)) or v is None:
        return v
    if isinstance(v, dict):
        return {str(k): _val(x) for k, x in v.items()}
    # AnyValue-ish mapping types (BoundedAttributes etc.)
    try:
        return {str(k): _val(x) for k, x in dict(v).items()}
    except Exception:
        return str(v)


def _attrs(a):
    return {k: _val(v) for k, v in (a or {}).items()}


def span_to_json(s):
    kind = str(s.kind).split(".")[-1]
    d = {
        "name": s.name,
        "kind": kind,
        "scope": getattr(s.instrumentation_scope, "name", None) if getattr(s, "instrumentation_scope", None) else None,
        "status": str(s.status.status_code).split(".")[-1],
        "attributes": _attrs(s.attributes),
        "events": [{"name": e.name, "attributes": _attrs(e.attributes)} for e in s.events],
    }
    if s.status.description:
        d["status_description"] = s.status.description
    if s.parent is not None:
        d["has_parent"] = True
    return d


def log_to_json(ld):
    lr = ld.log_record
    attrs = _attrs(lr.attributes)
    event_name = getattr(lr, "event_name", None) or attrs.get("event.name")
    return {
        "event_name": event_name,
        "scope": getattr(ld.instrumentation_scope, "name", None) if getattr(ld, "instrumentation_scope", None) else None,
        "body": _val(lr.body),
        "attributes": attrs,
        "has_trace_context": bool(getattr(lr, "trace_id", 0)),
    }


def pkg_versions(names):
    out = []
    for n in names:
        try:
            out.append(f"{n}=={metadata.version(n)}")
        except metadata.PackageNotFoundError:
            out.append(f"{n}==<not installed>")
    return out


def write_fixture(filename, library, notes, fake_usage, span_exporter, log_exporter=None,
                  extra=None, sort_spans=False):
    spans = [span_to_json(s) for s in span_exporter.get_finished_spans()]
    logs = []
    if log_exporter is not None:
        logs = [log_to_json(l) for l in log_exporter.get_finished_logs()]
    doc = {"library": library, "notes": notes, "fake_usage": fake_usage, "spans": spans, "logs": logs}
    if extra:
        doc.update(extra)
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, filename)
    with open(path, "w") as f:
        json.dump(doc, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {path}: {len(spans)} spans, {len(logs)} logs")
    return doc


def set_fake_env(base_url):
    os.environ["OPENAI_API_KEY"] = "sk-fake-key"
    os.environ["ANTHROPIC_API_KEY"] = "sk-ant-fake-key"
    os.environ["OPENAI_BASE_URL"] = base_url + "/v1"
    os.environ["ANTHROPIC_BASE_URL"] = base_url
    # anthropic>=2.x ships its own OTel tracing (scope com.anthropic.sdk.python) that turns itself on
    # when a global TracerProvider exists; keep it out of the per-library fixtures (it has its own
    # fixture, anthropic_sdk.json, made by capture_anthropic_sdk.py).
    os.environ.setdefault("ANTHROPIC_OPEN_TELEMETRY", "false")


# ---- the standard workload -------------------------------------------------------------------
WEATHER_TOOL_OPENAI = [{
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the weather for a city",
        "parameters": {"type": "object", "properties": {"location": {"type": "string"}},
                       "required": ["location"]},
    },
}]
WEATHER_TOOL_ANTHROPIC = [{
    "name": "get_weather",
    "description": "Get the weather for a city",
    "input_schema": {"type": "object", "properties": {"location": {"type": "string"}},
                     "required": ["location"]},
}]
MESSAGES = [
    {"role": "system", "content": "You are a helpful assistant."},
    {"role": "user", "content": "What is the capital of France?"},
]


def run_openai_workload(base_url, responses=True, embeddings=True, stream=True, tools=True, log=print):
    import openai
    client = openai.OpenAI(base_url=base_url + "/v1", api_key="sk-fake-key")
    log("openai chat")
    client.chat.completions.create(model="gpt-4o", messages=MESSAGES, temperature=0.7,
                                   max_tokens=100, top_p=1.0, seed=42)
    if stream:
        log("openai chat stream")
        st = client.chat.completions.create(model="gpt-4o", messages=MESSAGES, stream=True,
                                            stream_options={"include_usage": True})
        for _ in st:
            pass
    if tools:
        log("openai chat tools")
        client.chat.completions.create(model="gpt-4o", messages=[
            {"role": "user", "content": "What's the weather in Paris?"}], tools=WEATHER_TOOL_OPENAI)
    if embeddings:
        log("openai embeddings")
        client.embeddings.create(model="text-embedding-3-small", input="hello world")
    if responses:
        log("openai responses")
        try:
            client.responses.create(model="gpt-4o", input="What is the capital of France?",
                                    instructions="You are a helpful assistant.")
        except Exception as e:  # noqa
            log(f"responses failed: {e!r}")


def run_anthropic_workload(base_url, stream=True, tools=True, log=print):
    import anthropic
    client = anthropic.Anthropic(base_url=base_url, api_key="sk-ant-fake-key")
    log("anthropic messages")
    client.messages.create(model="claude-sonnet-4-20250514", max_tokens=100,
                           system="You are a helpful assistant.",
                           messages=[{"role": "user", "content": "What is the capital of France?"}])
    if stream:
        log("anthropic messages stream")
        with client.messages.stream(model="claude-sonnet-4-20250514", max_tokens=100,
                                    messages=[{"role": "user", "content": "What is the capital of France?"}]) as s:
            for _ in s.text_stream:
                pass
        log("anthropic messages create(stream=True)")
        st = client.messages.create(model="claude-sonnet-4-20250514", max_tokens=100, stream=True,
                                    messages=[{"role": "user", "content": "What is the capital of France?"}])
        for _ in st:
            pass
    if tools:
        log("anthropic tools")
        client.messages.create(model="claude-sonnet-4-20250514", max_tokens=100, tools=WEATHER_TOOL_ANTHROPIC,
                               messages=[{"role": "user", "content": "What's the weather in Paris?"}])


def run_openai_agents_workload(base_url, api="chat"):
    """The OpenAI Agents SDK workload: an agent run (one model call), a run of an agent with one
    function tool (model call -> tool -> model call), and the first agent's run streamed; through
    the Chat Completions API or the Responses API (`api`, the SDK's default)."""
    import asyncio

    from agents import (
        Agent, OpenAIChatCompletionsModel, OpenAIResponsesModel, Runner, function_tool,
        set_tracing_export_api_key,
    )
    from openai import AsyncOpenAI

    set_tracing_export_api_key("sk-fake-key")  # the SDK's own exporter posts nowhere reachable
    Model = OpenAIResponsesModel if api == "responses" else OpenAIChatCompletionsModel

    def model():
        return Model(model="gpt-4o", openai_client=AsyncOpenAI(base_url=base_url + "/v1", api_key="sk-fake-key"))

    m = model()
    agent = Agent(name="capital_agent", instructions="You are a helpful assistant.", model=m)
    assert Runner.run_sync(agent, "What is the capital of France?").final_output

    @function_tool
    def get_weather(location: str) -> str:
        """Get the weather for a city."""
        return f"Sunny in {location}"

    weather = Agent(name="weather_agent", instructions="Answer with the weather.", model=m, tools=[get_weather])
    assert Runner.run_sync(weather, "What's the weather in Paris?").final_output

    async def streamed():
        # a client of this event loop (run_sync's loop is gone)
        a = Agent(name="capital_agent", instructions="You are a helpful assistant.", model=model())
        run = Runner.run_streamed(a, "What is the capital of France?")
        async for _ in run.stream_events():
            pass
        return run.final_output

    assert asyncio.run(streamed())


def run_adk_workload(model):
    """Google ADK's workload (capture_google_adk*.py), through InMemoryRunner: an agent run (one model
    call), an agent with one tool (model call -> tool -> model call), then the first agent's run streamed
    (StreamingMode.SSE). `model` is what LlmAgent takes (a model name, or a model object such as LiteLlm)."""
    import asyncio

    from google.adk.agents import LlmAgent
    from google.adk.agents.run_config import RunConfig, StreamingMode
    from google.adk.runners import InMemoryRunner
    from google.genai import types

    def get_weather(location: str) -> str:
        """Get the weather for a city."""
        return f"Sunny in {location}"

    async def run(agent, text, config=None):
        runner = InMemoryRunner(agent=agent, app_name="capture")
        session = await runner.session_service.create_session(app_name="capture", user_id="u1")
        msg = types.Content(role="user", parts=[types.Part(text=text)])
        async for _ in runner.run_async(user_id="u1", session_id=session.id, new_message=msg, run_config=config):
            pass

    capital = "What is the capital of France?"
    asyncio.run(run(LlmAgent(name="capital_agent", model=model, instruction="You are a helpful assistant."), capital))
    asyncio.run(run(LlmAgent(name="weather_agent", model=model, tools=[get_weather]), "What's the weather in Paris?"))
    asyncio.run(run(LlmAgent(name="capital_agent", model=model, instruction="You are a helpful assistant."), capital,
                    RunConfig(streaming_mode=StreamingMode.SSE)))
