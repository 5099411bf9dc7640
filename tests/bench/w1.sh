#!/usr/bin/env bash
# W1 benchmark: the same collector binary with a baseline config and a candidate config,
# alternated round by round (A B, B A, A B, ...), each run fed by the W1 load generator at
# maximum rate. Measures, per run: spans/s delivered to the counting sink (over the time until
# the sink has every item, drain included; the loadgen's accept rate is shown beside it), collector CPU
# seconds (utime+stime from /proc/PID/stat), CPU seconds per million delivered spans, and
# peak RSS (VmHWM). Prints a table and candidate/baseline ratios of the medians.
#
# usage: tests/bench/w1.sh COLLECTOR_BINARY BASELINE.yaml CANDIDATE.yaml
#
# Environment (all optional):
#   ROUNDS=3          rounds; each round runs baseline and candidate once
#   DURATION=20       seconds of load per run
#   CONCURRENCY=4     loadgen senders
#   SIGNAL=traces     traces|logs
#   RATE=0            loadgen target items/s (0 = max)
#   LOADGEN_ARGS=     extra loadgen flags
#   PIN=0             1: pin the collector to CPU 1 and loadgen+sink to CPU 0 (taskset)
#   OUT_DIR=          where logs and results.tsv go (default: a new temp dir)
#   KEEP_BIN_DIR=     reuse/put built loadgen+sink binaries here
#
# The configs must take their ports from the environment, which this script sets per run:
#   ${env:OTLP_GRPC_ENDPOINT}  collector OTLP/gRPC receiver
#   ${env:SINK_ENDPOINT}       sink OTLP/gRPC (exporter target, tls insecure)
#   ${env:SINK_HTTP_ENDPOINT}  sink OTLP/HTTP (for otlp_http exporters: http://${env:SINK_HTTP_ENDPOINT})
#   ${env:HEALTH_ENDPOINT}     a free port for health_check, if the config uses one
#   ${env:EXTRA_PORT_1..3}     spare free ports (zpages, pprof, prometheus ...)
# Only loopback addresses are used.
set -euo pipefail

if [[ $# -ne 3 ]]; then
  sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
COLLECTOR=$(realpath "$1")
CFG_A=$(realpath "$2")
CFG_B=$(realpath "$3")
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-20}
CONCURRENCY=${CONCURRENCY:-4}
SIGNAL=${SIGNAL:-traces}
RATE=${RATE:-0}
LOADGEN_ARGS=${LOADGEN_ARGS:-}
PIN=${PIN:-0}
HERE=$(cd "$(dirname "$0")" && pwd)
TESTS_DIR=$(cd "$HERE/.." && pwd)
OUT_DIR=${OUT_DIR:-$(mktemp -d /tmp/w1.XXXXXX)}
mkdir -p "$OUT_DIR"
BIN_DIR=${KEEP_BIN_DIR:-$OUT_DIR/bin}
mkdir -p "$BIN_DIR"
CLK_TCK=$(getconf CLK_TCK)

for f in "$COLLECTOR" "$CFG_A" "$CFG_B"; do [[ -e $f ]] || { echo "missing: $f" >&2; exit 2; }; done

echo "building loadgen and sink into $BIN_DIR" >&2
(cd "$TESTS_DIR" && go build -o "$BIN_DIR/loadgen" ./cmd/loadgen && go build -o "$BIN_DIR/sink" ./cmd/sink)

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_tcp() { # host port timeout_s
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    if (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

cpu_ticks() { # pid -> utime+stime in ticks (fields 14,15 after the comm field)
  local stat
  stat=$(cat "/proc/$1/stat")
  stat=${stat##*) }
  awk '{print $12 + $13}' <<<"$stat"
}

vm_hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }

sink_count() { # port field
  curl -s "http://127.0.0.1:$1/count" | python3 -c "import json,sys; print(json.load(sys.stdin)['$2'])"
}

PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]:-}"; do
    [[ -n $p ]] && kill "$p" 2>/dev/null || true
  done
}
trap cleanup EXIT

field=spans
[[ $SIGNAL == logs ]] && field=logs

RESULTS=$OUT_DIR/results.tsv
printf 'round\tconfig\tsent\tdelivered\tload_s\taccepted_per_s\te2e_s\tdelivered_per_s\tcpu_s\tcpu_s_per_M\tpeak_rss_mb\n' >"$RESULTS"

taskset_pre() { # cpu
  if [[ $PIN == 1 ]]; then echo "taskset -c $1"; fi
}

run_one() { # round label config
  local round=$1 label=$2 cfg=$3
  local log=$OUT_DIR/r${round}-${label}
  local sink_grpc sink_http otlp health
  sink_grpc=$(free_port); sink_http=$(free_port); otlp=$(free_port); health=$(free_port)
  export SINK_ENDPOINT=127.0.0.1:$sink_grpc SINK_HTTP_ENDPOINT=127.0.0.1:$sink_http
  export OTLP_GRPC_ENDPOINT=127.0.0.1:$otlp HEALTH_ENDPOINT=127.0.0.1:$health
  export EXTRA_PORT_1=$(free_port) EXTRA_PORT_2=$(free_port) EXTRA_PORT_3=$(free_port)

  $(taskset_pre 0) "$BIN_DIR/sink" -grpc "$SINK_ENDPOINT" -http "$SINK_HTTP_ENDPOINT" >"$log.sink.log" 2>&1 &
  local sink_pid=$!
  PIDS+=("$sink_pid")
  wait_tcp 127.0.0.1 "$sink_http" 10 || { echo "sink did not start" >&2; cat "$log.sink.log" >&2; exit 1; }

  $(taskset_pre 1) "$COLLECTOR" --config "$cfg" >"$log.collector.log" 2>&1 &
  local col_pid=$!
  PIDS+=("$col_pid")
  if ! wait_tcp 127.0.0.1 "$otlp" 30; then
    echo "collector did not open $OTLP_GRPC_ENDPOINT ($label, round $round); log:" >&2
    tail -20 "$log.collector.log" >&2
    exit 1
  fi
  sleep 0.5
  local t0 t1 w0 wend
  t0=$(cpu_ticks "$col_pid")
  w0=$(date +%s.%N)

  # shellcheck disable=SC2086
  $(taskset_pre 0) "$BIN_DIR/loadgen" -endpoint "$OTLP_GRPC_ENDPOINT" -duration "${DURATION}s" \
    -concurrency "$CONCURRENCY" -rate "$RATE" -signal "$SIGNAL" -quiet $LOADGEN_ARGS >"$log.loadgen.log" 2>&1 || true
  local res sent load_s
  res=$(grep '^RESULT ' "$log.loadgen.log" | sed 's/^RESULT //')
  if [[ -z $res ]]; then echo "loadgen failed:" >&2; cat "$log.loadgen.log" >&2; exit 1; fi
  sent=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['items_sent'])" "$res")
  load_s=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['seconds'])" "$res")

  # Drain: wait until the sink count is stable for 1 s (or reaches sent), 30 s max.
  # wend is when the last item was seen at the sink: a collector that accepts faster than
  # it exports (and buffers the rest) is charged for the drain.
  local prev=-1 cur stable=0 i
  wend=$(date +%s.%N)
  for ((i = 0; i < 300; i++)); do
    cur=$(sink_count "$sink_http" "$field")
    if [[ $cur -ge $sent ]]; then wend=$(date +%s.%N); break; fi
    if [[ $cur -eq $prev ]]; then
      stable=$((stable + 1))
      [[ $stable -ge 10 ]] && break
    else
      stable=0
      wend=$(date +%s.%N)
    fi
    prev=$cur
    sleep 0.1
  done
  t1=$(cpu_ticks "$col_pid")
  local hwm
  hwm=$(vm_hwm_kb "$col_pid")
  local delivered
  delivered=$(sink_count "$sink_http" "$field")

  kill -TERM "$col_pid" 2>/dev/null || true
  wait "$col_pid" 2>/dev/null || true
  kill -TERM "$sink_pid" 2>/dev/null || true
  wait "$sink_pid" 2>/dev/null || true
  PIDS=()

  python3 - "$round" "$label" "$sent" "$delivered" "$load_s" "$t0" "$t1" "$CLK_TCK" "$hwm" "$w0" "$wend" >>"$RESULTS" <<'EOF'
import sys
r, label, sent, dl, load_s, t0, t1, tck, hwm, w0, wend = sys.argv[1:]
sent, dl, load_s = int(sent), int(dl), float(load_s)
e2e_s = max(float(wend) - float(w0), load_s)
cpu = (int(t1) - int(t0)) / int(tck)
per_m = cpu / dl * 1e6 if dl else float("nan")
print(f"{r}\t{label}\t{sent}\t{dl}\t{load_s:.2f}\t{sent/load_s:.0f}\t{e2e_s:.2f}\t{dl/e2e_s:.0f}\t{cpu:.2f}\t{per_m:.3f}\t{int(hwm)/1024:.1f}")
EOF
  tail -1 "$RESULTS" >&2
}

echo "W1: rounds=$ROUNDS duration=${DURATION}s concurrency=$CONCURRENCY signal=$SIGNAL pin=$PIN out=$OUT_DIR" >&2
echo "baseline:  $CFG_A" >&2
echo "candidate: $CFG_B" >&2
for ((r = 1; r <= ROUNDS; r++)); do
  if ((r % 2 == 1)); then
    run_one "$r" baseline "$CFG_A"
    run_one "$r" candidate "$CFG_B"
  else
    run_one "$r" candidate "$CFG_B"
    run_one "$r" baseline "$CFG_A"
  fi
done

python3 - "$RESULTS" <<'EOF'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
cols = ["sent", "delivered", "accepted_per_s", "delivered_per_s", "cpu_s", "cpu_s_per_M", "peak_rss_mb"]
print()
print("%-6s %-10s %10s %10s %11s %7s %11s %8s %12s %12s" % ("round", "config", "sent", "delivered", "accepted/s",
      "e2e_s", "delivered/s", "cpu_s", "cpu_s/Mitem", "peak_rss_MB"))
for r in rows:
    print("%-6s %-10s %10s %10s %11s %7s %11s %8s %12s %12s" % (r["round"], r["config"], r["sent"], r["delivered"],
          r["accepted_per_s"], r["e2e_s"], r["delivered_per_s"], r["cpu_s"], r["cpu_s_per_M"], r["peak_rss_mb"]))
med = {}
for label in ("baseline", "candidate"):
    sel = [r for r in rows if r["config"] == label]
    med[label] = {c: statistics.median(float(r[c]) for r in sel) for c in cols}
print()
print("%-22s %14s %14s %10s" % ("median", "baseline", "candidate", "ratio c/b"))
for c, name in [("delivered_per_s", "delivered items/s"), ("accepted_per_s", "accepted items/s"),
                ("cpu_s_per_M", "CPU s per M items"),
                ("cpu_s", "CPU s per run"), ("peak_rss_mb", "peak RSS MB")]:
    b, k = med["baseline"][c], med["candidate"][c]
    print("%-22s %14.2f %14.2f %10.3f" % (name, b, k, k / b if b else float("nan")))
b, k = med["baseline"]["cpu_s_per_M"], med["candidate"]["cpu_s_per_M"]
print("\nCPU per span, baseline/candidate (1.0 = the candidate's processors cost nothing): %.3f" % (b / k if k else float("nan")))
lost = [(r["round"], r["config"], int(r["sent"]) - int(r["delivered"])) for r in rows if int(r["delivered"]) < int(r["sent"])]
if lost:
    print("\nWARNING: items lost between loadgen and sink:", lost)
EOF
echo "results: $RESULTS (logs in $OUT_DIR)" >&2
