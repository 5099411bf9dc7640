#!/usr/bin/env bash
# Regenerate every fixture in rust/enrich/tests/data/captured/ from real instrumentation libraries
# running offline against fake_llm_server.py. Needs python3 (3.11), node >= 20, npm, and the package
# registries. Venvs go to $VENV_ROOT (default /tmp), node projects to $NODE_ROOT (default /tmp/capture-node).
# Usage: bash tests/capture/run_all.sh [group ...]   groups: v2 gg tl tlold oi lit lf lf3 anthropic_sdk pai lfpai lfoaa lc oaa oaatl strands li hs sk agno adk adk1 mlflow crew node
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
VENV_ROOT="${VENV_ROOT:-/tmp}"
NODE_ROOT="${NODE_ROOT:-/tmp/capture-node}"
GROUPS_TO_RUN=("$@")
[ ${#GROUPS_TO_RUN[@]} -eq 0 ] && GROUPS_TO_RUN=(v2 gg tl tlold oi lit lf lf3 anthropic_sdk pai lfpai lfoaa lc oaa oaatl strands li hs sk agno adk adk1 mlflow crew node)
cd "$HERE"

venv() {  # venv <group> -> prints python path, creating the venv from requirements/<group>.txt once
  local g="$1" d="$VENV_ROOT/capture-venv-$1"
  if [ ! -x "$d/bin/python" ]; then
    python3 -m venv "$d"
    "$d/bin/pip" install -q -r "requirements/$g.txt" >&2
  fi
  echo "$d/bin/python"
}

for g in "${GROUPS_TO_RUN[@]}"; do
  case "$g" in
    v2)  # opentelemetry-instrumentation-openai-v2: latest-semconv variants need util-genai 1.1b0,
         # the legacy (default) variant needs util-genai 0.x (1.x always reports "experimental mode").
      py=$(venv v2)
      "$py" -m pip install -q "opentelemetry-util-genai==1.1b0"
      "$py" capture_openai_v2.py latest
      "$py" capture_openai_v2.py latest_span_only
      "$py" -m pip install -q "opentelemetry-util-genai==0.4b0"
      "$py" capture_openai_v2.py default
      "$py" -m pip install -q "opentelemetry-util-genai==1.1b0" ;;
    gg)  # opentelemetry-instrumentation-google-genai (util-genai 1.x) against the fake Gemini API
      py=$(venv gg)
      for v in latest default; do "$py" capture_google_genai.py $v; done ;;
    tl)
      py=$(venv tl)
      for p in openai anthropic; do "$py" capture_openllmetry.py $p attributes; "$py" capture_openllmetry.py $p events; done ;;
    pai)
      py=$(venv pai)
      "$py" capture_pydantic_ai.py ;;
    lfpai)
      py=$(venv lf5)
      "$py" capture_logfire_pydantic_ai.py ;;
    lfoaa)  # the OpenAI Agents SDK as Logfire exports it, Chat Completions and Responses API
      py=$(venv lfoaa)
      for a in chat responses; do "$py" capture_logfire_openai_agents.py $a; done ;;
    adk)  # LiteLLM inside tries to fetch its price map and falls back to its bundled copy
      py=$(venv adk)
      "$py" capture_google_adk.py ;;
    adk1)  # ADK 1.x on its native Gemini client, against the fake Gemini API
      py=$(venv adk1)
      "$py" capture_google_adk_gemini.py ;;
    crew)
      py=$(venv crew)
      "$py" capture_crewai.py ;;
    mlflow)
      py=$(venv mlflow)
      "$py" capture_mlflow.py ;;
    agno)
      py=$(venv agno)
      "$py" capture_agno.py ;;
    sk)
      py=$(venv sk)
      "$py" capture_semantic_kernel.py ;;
    hs)
      py=$(venv hs)
      "$py" capture_haystack.py ;;
    li)
      py=$(venv li)
      "$py" capture_llama_index.py ;;
    strands)
      py=$(venv strands)
      "$py" capture_strands.py ;;
    oaa)
      py=$(venv oaa)
      for a in chat responses; do "$py" capture_openai_agents.py openinference $a; done ;;
    oaatl)
      py=$(venv oaatl)
      for a in chat responses; do "$py" capture_openai_agents.py openllmetry $a; done ;;
    lc)  # LangChain / LangGraph, under each instrumentation (same venv, separate processes)
      py=$(venv lc)
      for w in openinference openllmetry; do "$py" capture_langchain.py $w; done ;;
    tlold)
      py=$(venv tlold)
      for p in openai anthropic; do "$py" capture_openllmetry.py $p attributes _v0_47; done ;;
    oi)
      py=$(venv oi)
      for p in openai anthropic; do "$py" capture_openinference.py $p; done ;;
    lit)
      py=$(venv lit)
      "$py" capture_openlit.py openai; "$py" capture_openlit.py anthropic; "$py" capture_openlit.py anthropic nopricing ;;
    lf)
      py=$(venv lf); "$py" capture_langfuse.py ;;
    lf3)
      py=$(venv lf3); CAPTURE_OUT=langfuse_v3.json "$py" capture_langfuse.py ;;
    anthropic_sdk)
      py=$(venv tl); "$py" capture_anthropic_sdk.py content ;;
    node)
      for v in 4 5 6 7; do
        d="$NODE_ROOT/v$v"
        if [ ! -d "$d/node_modules" ]; then
          mkdir -p "$d"; cp "node/v$v.package.json" "$d/package.json"
          (cd "$d" && npm install --no-audit --no-fund >&2)
        fi
      done
      node capture_vercel_ai.cjs "$NODE_ROOT/v4" vercel_ai_v4.json
      node capture_vercel_ai.cjs "$NODE_ROOT/v5" vercel_ai_v5.json
      node capture_vercel_ai.cjs "$NODE_ROOT/v6" vercel_ai_v6.json
      node capture_vercel_ai.cjs "$NODE_ROOT/v7" vercel_ai_v7.json
      AI_OTEL_LEGACY=1 node capture_vercel_ai.cjs "$NODE_ROOT/v7" vercel_ai_v7_legacy.json ;;
    *) echo "unknown group $g" >&2; exit 2 ;;
  esac
done
