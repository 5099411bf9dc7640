#!/usr/bin/env bash
# The image's entrypoint: runs /otelcol-llm as otelcol-contrib's image runs /otelcol-contrib,
# and, when the image's own default config would run, chooses the exporters from the
# environment instead:
#
#   CLICKHOUSE_ENDPOINT and CLICKHOUSE_PASSWORD set   -> ClickHouse   (configs/clickhouse.yaml)
#   SIGNOZ_INGESTION_KEY or SIGNOZ_(HTTP_)ENDPOINT set  -> SigNoz      (configs/signoz.yaml)
#   DD_API_KEY set                                     -> Datadog      (configs/datadog.yaml)
#   none of them                                       -> debug + rotating JSON files (configs/default.yaml)
#
# Several backends set: all of them, the same spans to each (their configs merged, the
# pipelines' exporters the union). Every variable each config documents still applies.
#
# Arguments other than the default (`--config /etc/otelcol-contrib/config.yaml`), or a config
# mounted over the image's default, run exactly as given: a drop-in for otelcol-contrib.
# LLMO_CONFIG_PRINT=1 prints the command instead of running it (the tests use it).
set -euo pipefail

bin=${OTELCOL_BIN:-/otelcol-llm}
configs=${LLMO_CONFIGS_DIR:-/etc/otelcol-llm/configs}
default_path=${OTELCOL_DEFAULT_CONFIG:-/etc/otelcol-contrib/config.yaml}

run() {
  if [[ ${LLMO_CONFIG_PRINT:-} == 1 ]]; then
    # the exporters first (empty when not chosen from the environment), then the command
    printf '%s\n' "${LLMO_EXPORTERS:-}" "$@"
    exit 0
  fi
  exec "$@"
}

unset LLMO_EXPORTERS
# Given arguments, or a config that is not the image's own: as given.
if [[ $# -gt 0 && ! ($# -eq 2 && $1 == --config && $2 == "$default_path") ]]; then
  run "$bin" "$@"
fi
if [[ -f $default_path ]] && ! cmp -s "$default_path" "$configs/default.yaml"; then
  run "$bin" --config "$default_path"
fi

# Which backends the environment names. ClickHouse is merged last: its config lists the disk
# queue's file_storage extension, and the last config's lists win.
files=()
exporters=()
# the routes a config lets you pick (SIGNOZ_EXPORTERS, DD_EXPORTERS: YAML lists) are kept
add_list() {
  local l=${1#[}
  l=${l%]}
  local IFS=,
  for e in $l; do
    e=${e// /}
    [[ -n $e ]] && exporters+=("$e")
  done
}
if [[ -n ${SIGNOZ_INGESTION_KEY:-} || -n ${SIGNOZ_ENDPOINT:-} || -n ${SIGNOZ_HTTP_ENDPOINT:-} ]]; then
  files+=("$configs/signoz.yaml")
  add_list "${SIGNOZ_EXPORTERS:-[otlp_grpc/signoz]}"
fi
if [[ -n ${DD_API_KEY:-} ]]; then
  files+=("$configs/datadog.yaml")
  add_list "${DD_EXPORTERS:-[otlp_http/datadog]}"
fi
if [[ -n ${CLICKHOUSE_ENDPOINT:-} && -n ${CLICKHOUSE_PASSWORD:-} ]]; then
  files+=("$configs/clickhouse.yaml")
  exporters+=(clickhouse)
fi

if [[ ${#files[@]} -eq 0 ]]; then
  run "$bin" --config "$configs/default.yaml"
fi
list=$(IFS=,; echo "${exporters[*]}")
export LLMO_EXPORTERS="[${list//,/, }]"
args=()
for f in "${files[@]}"; do
  args+=(--config "$f")
done
args+=(--config "$configs/overlays/exporters-from-environment.yaml")
echo "otelcol-llm: exporters chosen from the environment: $LLMO_EXPORTERS" >&2
run "$bin" "${args[@]}"
