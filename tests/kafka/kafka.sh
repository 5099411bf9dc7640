#!/usr/bin/env bash
# Single-node Apache Kafka broker (KRaft combined mode, no ZooKeeper, no Docker),
# run from jars resolved from Maven Central by ./pom.xml.
#
# Usage:
#   kafka.sh start <workdir> <port>   start a broker on 127.0.0.1:<port>, wait until ready
#   kafka.sh stop  <workdir>          stop it (SIGTERM, then SIGKILL after a timeout)
#   kafka.sh jars                     only resolve the jars (prefetch), print their folder
#   kafka.sh run <Class> [args...]    run a Kafka class with the jars on the classpath, e.g.
#                                     kafka.sh run org.apache.kafka.tools.TopicCommand --help
#
# Environment (all optional):
#   KAFKA_JARS             jar cache folder (default: <repo>/.tools/kafka-jars)
#   KAFKA_NUM_PARTITIONS   num.partitions for auto-created topics (default 1)
#   KAFKA_CONTROLLER_PORT  controller listener port (default: a free port picked at random)
#   KAFKA_HEAP_OPTS        broker heap (default "-Xmx512m -Xms128m")
#   KAFKA_START_TIMEOUT    seconds to wait for readiness (default 120)
#   KAFKA_STOP_TIMEOUT     seconds to wait after SIGTERM before SIGKILL (default 30)
#   JAVA_HOME / JAVA       Java 17+ to use (default: java on PATH)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
POM="$HERE/pom.xml"
KAFKA_JARS="${KAFKA_JARS:-$(cd "$HERE/../.." && pwd)/.tools/kafka-jars}"
if [[ -n "${JAVA:-}" ]]; then :
elif [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then JAVA="$JAVA_HOME/bin/java"
else JAVA=java; fi

die() { echo "kafka.sh: $*" >&2; exit 1; }
log() { echo "kafka.sh: $*" >&2; }

usage() {
  sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# --- jars -----------------------------------------------------------------
resolve_jars() {
  local stamp want
  want="$(sha256sum "$POM" | cut -d' ' -f1)"
  stamp="$KAFKA_JARS/.resolved"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    return 0
  fi
  command -v mvn >/dev/null || die "mvn not found (needed once to resolve the Kafka jars)"
  log "resolving Kafka jars into $KAFKA_JARS (one-time)..."
  local tmp="$KAFKA_JARS.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$(dirname "$KAFKA_JARS")"
  if ! mvn -q -B -Dstyle.color=never -f "$POM" dependency:copy-dependencies -DoutputDirectory="$tmp" >&2; then
    rm -rf "$tmp"
    die "mvn dependency:copy-dependencies failed"
  fi
  echo "$want" >"$tmp/.resolved"
  rm -rf "$KAFKA_JARS"
  mv "$tmp" "$KAFKA_JARS"
}

check_java() {
  command -v "$JAVA" >/dev/null 2>&1 || die "java not found (set JAVA_HOME)"
  local v
  v="$("$JAVA" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)"
  [[ -n "$v" && "$v" -ge 17 ]] || die "Kafka 4.x broker needs Java 17+, got: $("$JAVA" -version 2>&1 | head -1)"
}

run_class() { # run_class <Class> args...  (small heap, quiet logging)
  "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dlog4j2.configurationFile="$HERE/tools-log4j2.properties" \
    -cp "$KAFKA_JARS/*" "$@"
}

# --- helpers --------------------------------------------------------------
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  local p i
  for i in $(seq 1 200); do
    p=$((20000 + RANDOM % 40000))
    [[ "$p" == "${1:-}" ]] && continue
    port_open "$p" || { echo "$p"; return 0; }
  done
  die "could not find a free port"
}

pid_alive() { # pid is alive and is our broker
  local pid="$1"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null &&
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka'
}

tail_log() {
  local f="$1/kafka.log"
  if [[ -f "$f" ]]; then
    echo "----- last 60 lines of $f -----" >&2
    tail -n 60 "$f" >&2
    echo "-----" >&2
  fi
}

write_log4j() { # broker logging: INFO to stdout (redirected to <workdir>/kafka.log)
  cat >"$1" <<'EOF'
status = warn
appender.out.type = Console
appender.out.name = STDOUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.out.ref = STDOUT
logger.kafka.name = kafka
logger.kafka.level = info
logger.requestlog.name = kafka.request.logger
logger.requestlog.level = warn
logger.state.name = state.change.logger
logger.state.level = warn
logger.authorizer.name = kafka.authorizer.logger
logger.authorizer.level = warn
EOF
}

# --- start ----------------------------------------------------------------
cmd_start() {
  [[ $# -eq 2 ]] || usage
  local workdir="$1" port="$2"
  [[ "$port" =~ ^[0-9]+$ ]] || die "port must be a number: $port"
  mkdir -p "$workdir"
  workdir="$(cd "$workdir" && pwd)"
  local pidfile="$workdir/kafka.pid"
  if [[ -f "$pidfile" ]] && pid_alive "$(cat "$pidfile")"; then
    die "broker already running in $workdir (pid $(cat "$pidfile"))"
  fi
  port_open "$port" && die "port $port is already in use"

  check_java
  resolve_jars

  local cport="${KAFKA_CONTROLLER_PORT:-}"
  if [[ -z "$cport" && -f "$workdir/controller.port" ]]; then # reuse on restart
    cport="$(cat "$workdir/controller.port")"
    { [[ "$cport" == "$port" ]] || port_open "$cport"; } && cport=""
  fi
  [[ -n "$cport" ]] || cport="$(free_port "$port")"
  port_open "$cport" && die "controller port $cport is already in use"
  local logdir="$workdir/data"
  local props="$workdir/server.properties"
  write_log4j "$workdir/log4j2.properties"
  cat >"$props" <<EOF
# generated by kafka.sh
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$logdir
num.partitions=${KAFKA_NUM_PARTITIONS:-1}
auto.create.topics.enable=true
delete.topic.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=${KAFKA_OFFSETS_PARTITIONS:-1}
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
EOF

  # Format storage once (a restart on the same workdir keeps the data).
  if [[ ! -f "$logdir/meta.properties" ]]; then
    local cid
    while :; do # 16 random bytes, base64url without padding (= a Kafka Uuid)
      cid="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
      [[ "$cid" != -* ]] && break
    done
    if ! run_class kafka.tools.StorageTool format -t "$cid" -c "$props" \
        >"$workdir/format.log" 2>&1; then
      cat "$workdir/format.log" >&2
      die "storage format failed"
    fi
  fi

  # Start in the background, detached from this shell's session.
  : >"$workdir/kafka.log"
  # shellcheck disable=SC2086
  setsid nohup "$JAVA" ${KAFKA_HEAP_OPTS:--Xmx512m -Xms128m} \
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$workdir/log4j2.properties" \
    -cp "$KAFKA_JARS/*" kafka.Kafka "$props" \
    >>"$workdir/kafka.log" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$pidfile"
  echo "$cport" >"$workdir/controller.port"

  # Wait: process alive, port accepts, then a real metadata round trip
  # (AdminClient listTopics via TopicCommand).
  local deadline=$((SECONDS + ${KAFKA_START_TIMEOUT:-120}))
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail_log "$workdir"; rm -f "$pidfile"
      die "broker process $pid exited during startup"
    fi
    if port_open "$port"; then
      if run_class org.apache.kafka.tools.TopicCommand \
          --bootstrap-server "127.0.0.1:$port" --list \
          >"$workdir/ready-check.log" 2>&1; then
        break
      fi
    fi
    if ((SECONDS >= deadline)); then
      tail_log "$workdir"
      [[ -f "$workdir/ready-check.log" ]] && cat "$workdir/ready-check.log" >&2
      kill -9 "$pid" 2>/dev/null || true; rm -f "$pidfile"
      die "broker not ready after ${KAFKA_START_TIMEOUT:-120}s"
    fi
    sleep 0.5
  done
  log "broker ready on 127.0.0.1:$port (controller 127.0.0.1:$cport, pid $pid, log $workdir/kafka.log)"
}

# --- stop -----------------------------------------------------------------
cmd_stop() {
  [[ $# -eq 1 ]] || usage
  local workdir="$1" pidfile="$1/kafka.pid" pid
  if [[ ! -f "$pidfile" ]]; then log "no pid file in $workdir; not running"; return 0; fi
  pid="$(cat "$pidfile")"
  if ! pid_alive "$pid"; then log "broker (pid $pid) not running"; rm -f "$pidfile"; return 0; fi
  kill -TERM "$pid"
  local deadline=$((SECONDS + ${KAFKA_STOP_TIMEOUT:-30}))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      log "broker (pid $pid) did not stop in ${KAFKA_STOP_TIMEOUT:-30}s; SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2
  done
  rm -f "$pidfile"
  log "broker (pid $pid) stopped"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  jars) check_java; resolve_jars; echo "$KAFKA_JARS" ;;
  run) shift; [[ $# -ge 1 ]] || usage; check_java; resolve_jars; run_class "$@" ;;
  *) usage ;;
esac
