#!/usr/bin/env bash
# Prints the path of the `phoenix` command of Arize Phoenix at a pinned version, installed
# from PyPI into .tools/phoenix-venv on first use (about 850 MB, 1-2 minutes), for the test of
# configs/phoenix.yaml against a real Phoenix on loopback (tests/e2e/phoenix_test.go).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
ARIZE_PHOENIX_VERSION=20.26.1

venv=$root/.tools/phoenix-venv
stamp=$venv/.version-$ARIZE_PHOENIX_VERSION
mkdir -p "$root/.tools"
exec 9>"$root/.tools/phoenix-venv.lock"
flock 9
if [ ! -f "$stamp" ]; then
  echo "installing arize-phoenix $ARIZE_PHOENIX_VERSION into .tools/phoenix-venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "arize-phoenix==$ARIZE_PHOENIX_VERSION" >&2
  touch "$stamp"
fi
echo "$venv/bin/phoenix"
