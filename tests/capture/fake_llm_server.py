"""Tiny fake OpenAI / Anthropic HTTP server used to capture real instrumentation output offline.

Stdlib only. Start it in-process with ``start_server()`` (returns (server, base_url)) or run
``python fake_llm_server.py [port]`` to serve in the foreground (prints the base URL).

Distinctive usage numbers (see FAKE_USAGE) make it possible to check in the fixtures whether
an instrumentation reports input tokens inclusive or exclusive of cached tokens.
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OPENAI_CHAT_MODEL = "gpt-4o-2024-08-06"
OPENAI_EMBED_MODEL = "text-embedding-3-small"
ANTHROPIC_MODEL = "claude-sonnet-4-20250514"
GEMINI_MODEL = "gemini-2.5-flash"

FAKE_USAGE = {
    "openai_chat": {
        "prompt_tokens": 1234,
        "completion_tokens": 56,
        "total_tokens": 1290,
        "prompt_tokens_details": {"cached_tokens": 1000, "audio_tokens": 0},
        "completion_tokens_details": {"reasoning_tokens": 20, "audio_tokens": 0,
                                      "accepted_prediction_tokens": 0,
                                      "rejected_prediction_tokens": 0},
    },
    "openai_embeddings": {"prompt_tokens": 8, "total_tokens": 8},
    "openai_responses": {
        "input_tokens": 1234,
        "input_tokens_details": {"cached_tokens": 1000},
        "output_tokens": 56,
        "output_tokens_details": {"reasoning_tokens": 20},
        "total_tokens": 1290,
    },
    # Gemini API (generativelanguage): prompt includes cached; candidates exclude thoughts.
    "gemini": {
        "promptTokenCount": 1234,
        "cachedContentTokenCount": 1000,
        "candidatesTokenCount": 36,
        "thoughtsTokenCount": 20,
        "totalTokenCount": 1290,
    },
    "anthropic_messages": {
        "input_tokens": 100,
        "cache_read_input_tokens": 2000,
        "cache_creation_input_tokens": 300,
        "output_tokens": 50,
    },
}

CHAT_TEXT = "The capital of France is Paris."
ANTHROPIC_TEXT = "Paris is the capital of France."


def _answered(req):
    """True when the last message is a tool result: an agent loop wants the final answer now."""
    msgs = req.get("messages") or []
    return bool(msgs) and msgs[-1].get("role") == "tool"


def _openai_chat_response(req):
    tools = req.get("tools")
    if tools and not _answered(req):
        fn = tools[0].get("function", {}).get("name", "get_weather")
        message = {
            "role": "assistant",
            "content": None,
            "tool_calls": [{
                "id": "call_abc123",
                "type": "function",
                "function": {"name": fn, "arguments": "{\"location\": \"Paris\"}"},
            }],
            "refusal": None,
        }
        finish = "tool_calls"
    else:
        message = {"role": "assistant", "content": CHAT_TEXT, "refusal": None}
        finish = "stop"
    return {
        "id": "chatcmpl-fake123",
        "object": "chat.completion",
        "created": 1730000000,
        "model": OPENAI_CHAT_MODEL,
        "system_fingerprint": "fp_fake",
        "service_tier": "default",
        "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": finish}],
        "usage": FAKE_USAGE["openai_chat"],
    }


def _openai_chat_stream_chunks(req):
    include_usage = bool((req.get("stream_options") or {}).get("include_usage"))
    base = {"id": "chatcmpl-fakestream", "object": "chat.completion.chunk",
            "created": 1730000000, "model": OPENAI_CHAT_MODEL, "system_fingerprint": "fp_fake",
            "service_tier": "default"}
    tools = req.get("tools") if not _answered(req) else None
    chunks = []

    def ch(delta, finish=None):
        c = dict(base)
        c["choices"] = [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]
        if include_usage:
            c["usage"] = None
        return c

    if tools:
        fn = tools[0].get("function", {}).get("name", "get_weather")
        chunks.append(ch({"role": "assistant", "content": None, "tool_calls": [
            {"index": 0, "id": "call_abc123", "type": "function",
             "function": {"name": fn, "arguments": ""}}]}))
        chunks.append(ch({"tool_calls": [{"index": 0, "function": {"arguments": "{\"location\": "}}]}))
        chunks.append(ch({"tool_calls": [{"index": 0, "function": {"arguments": "\"Paris\"}"}}]}))
        chunks.append(ch({}, "tool_calls"))
    else:
        chunks.append(ch({"role": "assistant", "content": "", "refusal": None}))
        for piece in ["The capital", " of France", " is Paris."]:
            chunks.append(ch({"content": piece}))
        chunks.append(ch({}, "stop"))
    if include_usage:
        c = dict(base)
        c["choices"] = []
        c["usage"] = FAKE_USAGE["openai_chat"]
        chunks.append(c)
    return chunks


def _openai_embeddings(req):
    inp = req.get("input")
    n = len(inp) if isinstance(inp, list) and inp and not isinstance(inp[0], int) else 1
    return {
        "object": "list",
        "data": [{"object": "embedding", "index": i, "embedding": [0.1, -0.2, 0.3, 0.05]}
                 for i in range(n)],
        "model": OPENAI_EMBED_MODEL,
        "usage": FAKE_USAGE["openai_embeddings"],
    }


def _openai_responses(req):
    return {
        "id": "resp_fake123",
        "object": "response",
        "created_at": 1730000000,
        "status": "completed",
        "error": None,
        "incomplete_details": None,
        "instructions": req.get("instructions"),
        "max_output_tokens": req.get("max_output_tokens"),
        "model": OPENAI_CHAT_MODEL,
        "output": [{
            "type": "message",
            "id": "msg_fake123",
            "status": "completed",
            "role": "assistant",
            "content": [{"type": "output_text", "text": CHAT_TEXT, "annotations": []}],
        }],
        "parallel_tool_calls": True,
        "previous_response_id": None,
        "reasoning": {"effort": None, "summary": None},
        "store": True,
        "temperature": req.get("temperature", 1.0),
        "text": {"format": {"type": "text"}},
        "tool_choice": "auto",
        "tools": [],
        "top_p": 1.0,
        "truncation": "disabled",
        "usage": FAKE_USAGE["openai_responses"],
        "user": None,
        "metadata": {},
    }


def _anthropic_message(req):
    tools = req.get("tools")
    if tools:
        content = [
            {"type": "text", "text": "Let me check the weather."},
            {"type": "tool_use", "id": "toolu_fake123", "name": tools[0].get("name", "get_weather"),
             "input": {"location": "Paris"}},
        ]
        stop = "tool_use"
    else:
        content = [{"type": "text", "text": ANTHROPIC_TEXT}]
        stop = "end_turn"
    return {
        "id": "msg_fake123",
        "type": "message",
        "role": "assistant",
        "model": ANTHROPIC_MODEL,
        "content": content,
        "stop_reason": stop,
        "stop_sequence": None,
        "usage": dict(FAKE_USAGE["anthropic_messages"], service_tier="standard"),
    }


def _anthropic_stream_events(req):
    u = FAKE_USAGE["anthropic_messages"]
    start_usage = {"input_tokens": u["input_tokens"],
                   "cache_creation_input_tokens": u["cache_creation_input_tokens"],
                   "cache_read_input_tokens": u["cache_read_input_tokens"],
                   "output_tokens": 1, "service_tier": "standard"}
    ev = [("message_start", {"type": "message_start", "message": {
        "id": "msg_fakestream", "type": "message", "role": "assistant", "model": ANTHROPIC_MODEL,
        "content": [], "stop_reason": None, "stop_sequence": None, "usage": start_usage}}),
          ("content_block_start", {"type": "content_block_start", "index": 0,
                                   "content_block": {"type": "text", "text": ""}})]
    for piece in ["Paris is", " the capital", " of France."]:
        ev.append(("content_block_delta", {"type": "content_block_delta", "index": 0,
                                           "delta": {"type": "text_delta", "text": piece}}))
    ev.append(("content_block_stop", {"type": "content_block_stop", "index": 0}))
    ev.append(("message_delta", {"type": "message_delta",
                                 "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                                 "usage": {"output_tokens": u["output_tokens"],
                                           "input_tokens": u["input_tokens"],
                                           "cache_creation_input_tokens": u["cache_creation_input_tokens"],
                                           "cache_read_input_tokens": u["cache_read_input_tokens"]}}))
    ev.append(("message_stop", {"type": "message_stop"}))
    return ev


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    requests_log = []

    def log_message(self, *a):  # quiet
        pass

    def _send_json(self, obj, status=200):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-request-id", "req_fake")
        self.send_header("request-id", "req_fake")
        self.end_headers()
        self.wfile.write(body)

    def _start_sse(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

    def _sse(self, data, event=None):
        s = ""
        if event:
            s += f"event: {event}\n"
        s += f"data: {data}\n\n"
        self.wfile.write(s.encode())
        self.wfile.flush()

    def do_GET(self):
        self._send_json({"object": "list", "data": []})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b"{}"
        try:
            req = json.loads(raw or b"{}")
        except Exception:
            req = {}
        path = self.path.split("?")[0].rstrip("/")
        Handler.requests_log.append({"path": path, "body": req})
        if path.endswith("/chat/completions"):
            if req.get("stream"):
                self._start_sse()
                for c in _openai_chat_stream_chunks(req):
                    self._sse(json.dumps(c))
                self._sse("[DONE]")
                return
            return self._send_json(_openai_chat_response(req))
        if path.endswith("/embeddings"):
            return self._send_json(_openai_embeddings(req))
        if path.endswith("/responses"):
            if req.get("stream"):
                self._start_sse()
                resp = _openai_responses(req)
                inprog = dict(resp, status="in_progress", output=[], usage=None)
                seq = 0
                def ev(t, **kw):
                    nonlocal seq
                    d = {"type": t, "sequence_number": seq}
                    d.update(kw)
                    seq += 1
                    self._sse(json.dumps(d), event=t)
                ev("response.created", response=inprog)
                ev("response.output_text.delta", item_id="msg_fake123", output_index=0,
                   content_index=0, delta=CHAT_TEXT)
                ev("response.completed", response=resp)
                return
            return self._send_json(_openai_responses(req))
        if path.endswith(":generateContent"):
            return self._send_json(_gemini_response(req, path))
        if path.endswith(":streamGenerateContent"):
            self._start_sse()
            for c in _gemini_stream_chunks(req, path):
                self._sse(json.dumps(c))
            return
        if path.endswith("/messages"):
            if req.get("stream"):
                self._start_sse()
                for name, data in _anthropic_stream_events(req):
                    self._sse(json.dumps(data), event=name)
                return
            return self._send_json(_anthropic_message(req))
        self._send_json({"error": {"message": f"unknown path {path}"}}, status=404)


def _gemini_answered(req):
    """True when the last content carries a function response: the final answer is due."""
    contents = req.get("contents") or []
    return bool(contents) and any("functionResponse" in p for p in contents[-1].get("parts") or [])


def _gemini_response(req, path):
    """A generateContent response of the Gemini API (REST, camelCase)."""
    model = path.rsplit("/", 1)[-1].split(":")[0]
    tools = req.get("tools") or []
    decls = [d for t in tools for d in (t.get("functionDeclarations") or [])]
    if decls and not _gemini_answered(req):
        parts = [{"functionCall": {"name": decls[0].get("name", "get_weather"), "args": {"city": "Paris"}}}]
    else:
        parts = [{"text": CHAT_TEXT}]
    return {
        "candidates": [{"content": {"role": "model", "parts": parts}, "finishReason": "STOP", "index": 0}],
        "usageMetadata": dict(FAKE_USAGE["gemini"]),
        "modelVersion": model,
        "responseId": "gemini-resp-1",
    }


def _gemini_stream_chunks(req, path):
    """streamGenerateContent: the text in two chunks; usage so far in each, all of it last."""
    whole = _gemini_response(req, path)
    first, rest = CHAT_TEXT[:11], CHAT_TEXT[11:]
    u = FAKE_USAGE["gemini"]
    head = {"promptTokenCount": u["promptTokenCount"], "totalTokenCount": u["promptTokenCount"]}
    c1 = {"candidates": [{"content": {"role": "model", "parts": [{"text": first}]}, "index": 0}],
          "usageMetadata": head, "modelVersion": whole["modelVersion"], "responseId": whole["responseId"]}
    c2 = dict(whole, candidates=[{"content": {"role": "model", "parts": [{"text": rest}]},
                                  "finishReason": "STOP", "index": 0}])
    return [c1, c2]


def start_server(port=0):
    srv = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    srv.daemon_threads = True
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    return srv, f"http://127.0.0.1:{srv.server_address[1]}"


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    srv, url = start_server(port)
    print(url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        srv.shutdown()
