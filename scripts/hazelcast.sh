#!/usr/bin/env bash
# Fetches, starts, stops and reports Hazelcast members for Switchboard (cluster mode and tests).
set -euo pipefail

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HAZELCAST_VERSION="${HAZELCAST_VERSION:-5.6.0}"
CACHE_DIR="${HAZELCAST_CACHE_DIR:-$ROOT_DIR/.cache/hazelcast}"
RUN_DIR="${HAZELCAST_RUN_DIR:-$CACHE_DIR/run}"
JAR="$CACHE_DIR/hazelcast-$HAZELCAST_VERSION.jar"
CONFIG="${HAZELCAST_CONFIG:-$ROOT_DIR/hazelcast/hazelcast.xml}"
START_TIMEOUT="${HAZELCAST_START_TIMEOUT:-90}"
STOP_TIMEOUT="${HAZELCAST_STOP_TIMEOUT:-30}"
# Small heap and serial GC: the machine also runs the services, MariaDB and the tests.
JAVA_HEAP_OPTS="${HAZELCAST_HEAP_OPTS:--Xms64m -Xmx256m}"
# From the Hazelcast docs for Java 17: avoids illegal-access warnings and keeps full functionality.
JAVA_MODULE_OPTS=(
  --add-modules java.se
  --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens java.base/java.lang=ALL-UNNAMED
  --add-opens java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens java.management/sun.management=ALL-UNNAMED
  --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED
)

usage() {
  cat <<USAGE
Usage: scripts/hazelcast.sh <command> [options]

Commands:
  fetch                      Download com.hazelcast:hazelcast:\$HAZELCAST_VERSION into $CACHE_DIR
                             with Maven (skipped when the jar is already there).
  start [options]            Start a member in the background and wait until it accepts connections.
      --port PORT            Member port (default 5701).
      --cluster-name NAME    Cluster name (default switchboard).
      --members LIST         host:port,... to join by TCP/IP (default 127.0.0.1:PORT).
      --name NAME            Member name for the pid and log files (default member-PORT).
      --log FILE             The member's log (default $RUN_DIR/<name>.log).
  run [options]              Run a member in the foreground (exec java: the caller's pid is the member's;
                             logs to stdout). For systemd (deploy/switchboard-hazelcast.service).
                             Options as start (--name and --log unused). SIGTERM: graceful shutdown.
  stop --name NAME | --all   SIGTERM (graceful shutdown), then SIGKILL after \$HAZELCAST_STOP_TIMEOUT s.
  status [--name NAME]       List members started by this script.

Files: $RUN_DIR/<name>.pid, <name>.port, <name>.log
Environment: HAZELCAST_VERSION (default 5.6.0), HAZELCAST_CONFIG, HAZELCAST_HEAP_OPTS (default -Xms64m -Xmx256m),
  HAZELCAST_START_TIMEOUT (default 90), HAZELCAST_STOP_TIMEOUT (default 30), HAZELCAST_CACHE_DIR (the jar),
  HAZELCAST_RUN_DIR (pid, port and log files; default \$HAZELCAST_CACHE_DIR/run).
Exit codes: 0 ok, 1 failure, 2 usage error, 3 (status) a member is not running.
USAGE
}

fail() { echo "hazelcast.sh: $*" >&2; exit 1; }
usage_error() { echo "hazelcast.sh: $*" >&2; echo "Run 'scripts/hazelcast.sh --help'." >&2; exit 2; }
is_running() { [[ -f "$RUN_DIR/$1.pid" ]] && kill -0 "$(cat "$RUN_DIR/$1.pid")" 2>/dev/null; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
valid_name() { [[ "$1" =~ ^[A-Za-z0-9_.-]+$ ]] || usage_error "invalid member name '$1'"; }

fetch() {
  if [[ -f "$JAR" ]]; then
    echo "hazelcast $HAZELCAST_VERSION already at $JAR"
    return
  fi
  command -v mvn >/dev/null || fail "mvn not found; install Maven or put $JAR there by hand"
  mkdir -p "$CACHE_DIR"
  echo "fetching com.hazelcast:hazelcast:$HAZELCAST_VERSION from Maven Central..."
  mvn -q -B dependency:copy "-Dartifact=com.hazelcast:hazelcast:$HAZELCAST_VERSION" \
    "-DoutputDirectory=$CACHE_DIR" || fail "maven could not download hazelcast $HAZELCAST_VERSION"
  [[ -f "$JAR" ]] || fail "maven finished but $JAR is missing"
  echo "fetched $JAR"
}

# Parses the member options shared by start and run into port, cluster_name, members, name, log.
member_options() {
  port=5701 cluster_name=switchboard members='' name='' log=''
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --port) port="${2:?--port needs a value}"; shift 2 ;;
      --cluster-name) cluster_name="${2:?--cluster-name needs a value}"; shift 2 ;;
      --members) members="${2:?--members needs a value}"; shift 2 ;;
      --name) name="${2:?--name needs a value}"; shift 2 ;;
      --log) log="${2:?--log needs a value}"; shift 2 ;;
      *) usage_error "unknown option '$1'" ;;
    esac
  done
  [[ "$port" =~ ^[0-9]+$ ]] || usage_error "--port must be a number"
  members="${members:-127.0.0.1:$port}"
  name="${name:-member-$port}"
  valid_name "$name"
  [[ -f "$JAR" ]] || fail "no $JAR; run 'scripts/hazelcast.sh fetch' first"
}

# The member's command line, for the options member_options parsed.
java_command() {
  # shellcheck disable=SC2206
  java_command=(java $JAVA_HEAP_OPTS -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "${JAVA_MODULE_OPTS[@]}"
    -Dhazelcast.config="$CONFIG"
    -Dswitchboard.hazelcast.cluster-name="$cluster_name"
    -Dswitchboard.hazelcast.port="$port"
    -Dswitchboard.hazelcast.members="$members"
    -Dhazelcast.phone.home.enabled=false
    -Dhazelcast.shutdownhook.policy=GRACEFUL
    -cp "$JAR" com.hazelcast.core.server.HazelcastMemberStarter)
}

run() {
  local port cluster_name members name log java_command
  member_options "$@"
  java_command
  exec "${java_command[@]}"
}

start() {
  local port cluster_name members name log java_command
  member_options "$@"
  is_running "$name" && fail "member '$name' is already running (pid $(cat "$RUN_DIR/$name.pid"))"
  port_open "$port" && fail "port $port is already in use"

  mkdir -p "$RUN_DIR"
  log="${log:-$RUN_DIR/$name.log}"
  mkdir -p "$(dirname "$log")"
  java_command
  # setsid: the member outlives the shell that started it and gets no terminal signals.
  setsid "${java_command[@]}" >"$log" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$RUN_DIR/$name.pid"
  echo "$port" >"$RUN_DIR/$name.port"

  local deadline=$((SECONDS + START_TIMEOUT))
  until port_open "$port" && grep -q 'is STARTED' "$log"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "member '$name' exited during startup; last lines of $log:" >&2
      tail -n 30 "$log" >&2
      rm -f "$RUN_DIR/$name.pid"
      exit 1
    fi
    if ((SECONDS >= deadline)); then
      echo "member '$name' not ready after ${START_TIMEOUT}s; last lines of $log:" >&2
      tail -n 30 "$log" >&2
      kill -KILL "$pid" 2>/dev/null || true
      rm -f "$RUN_DIR/$name.pid"
      exit 1
    fi
    sleep 0.5
  done
  echo "member '$name' started: pid $pid, port $port, cluster '$cluster_name', log $log"
}

stop_member() {
  local name="$1"
  if ! is_running "$name"; then
    echo "member '$name' is not running"
    rm -f "$RUN_DIR/$name.pid"
    return
  fi
  local pid
  pid="$(cat "$RUN_DIR/$name.pid")"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "member '$name' ignored SIGTERM for ${STOP_TIMEOUT}s; sending SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$RUN_DIR/$name.pid"
  echo "member '$name' stopped"
}

stop() {
  case "${1:-}" in
    --name) valid_name "${2:?--name needs a value}"; stop_member "$2" ;;
    --all) for pid_file in "$RUN_DIR"/*.pid; do [[ -e "$pid_file" ]] && stop_member "$(basename "$pid_file" .pid)"; done ;;
    *) usage_error "stop needs --name NAME or --all" ;;
  esac
}

status() {
  local names=() result=0
  if [[ "${1:-}" == --name ]]; then
    valid_name "${2:?--name needs a value}"
    names=("$2")
  else
    for pid_file in "$RUN_DIR"/*.pid; do [[ -e "$pid_file" ]] && names+=("$(basename "$pid_file" .pid)"); done
  fi
  [[ ${#names[@]} -gt 0 ]] || { echo "no members started by this script"; return 3; }
  for name in "${names[@]}"; do
    if is_running "$name"; then
      echo "$name: running (pid $(cat "$RUN_DIR/$name.pid"), port $(cat "$RUN_DIR/$name.port" 2>/dev/null || echo '?'))"
    else
      echo "$name: not running"
      result=3
    fi
  done
  return "$result"
}

command="${1:-}"
[[ $# -gt 0 ]] && shift
case "$command" in
  fetch) fetch ;;
  start) start "$@" ;;
  run) run "$@" ;;
  stop) stop "$@" ;;
  status) status "$@" ;;
  -h | --help | help) usage ;;
  '') usage_error "missing command" ;;
  *) usage_error "unknown command '$command'" ;;
esac
