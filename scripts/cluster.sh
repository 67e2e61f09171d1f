#!/usr/bin/env bash
# Starts, stops and reports a whole Switchboard cluster on this one machine (`npm run cluster`):
# 2 Hazelcast members, 2 client-messenger nodes, routing, whatsapp-connector, admin-api and HAProxy,
# and a local fake TynTec for the connector (unless CLUSTER_TYNTEC_URL names a real one).
set -euo pipefail

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT_DIR"

CLUSTER_DIR="$(mkdir -p "${CLUSTER_DIR:-$ROOT_DIR/.cache/cluster}" && cd "${CLUSTER_DIR:-$ROOT_DIR/.cache/cluster}" && pwd)"
RUN_DIR="$CLUSTER_DIR/run"
LOG_DIR="$CLUSTER_DIR/logs"
# The members' pid files (scripts/hazelcast.sh); their logs go to LOG_DIR like every other component's.
HAZELCAST_RUN_DIR="$RUN_DIR/hazelcast"
CERTIFICATE="$CLUSTER_DIR/haproxy.pem"
HAPROXY_CONFIG="$CLUSTER_DIR/haproxy.cfg"
HAPROXY_BIN="${HAPROXY_BIN:-/usr/sbin/haproxy}"

# Ports: CLUSTER_BASE_PORT=B lays every port out from B (ws B, nodes B+1 and B+2, wss B+3, routing
# B+4, whatsapp B+5, admin B+6, Hazelcast B+7 and B+8, fake TynTec B+9); an individual variable wins over both.
port_from_base() { if [[ -n "${CLUSTER_BASE_PORT:-}" ]]; then echo $((CLUSTER_BASE_PORT + $1)); else echo "$2"; fi; }
WS_PORT="${CLUSTER_WS_PORT:-$(port_from_base 0 3000)}"
MESSENGER_1_PORT="${CLUSTER_MESSENGER_1_PORT:-$(port_from_base 1 3001)}"
MESSENGER_2_PORT="${CLUSTER_MESSENGER_2_PORT:-$(port_from_base 2 3002)}"
WSS_PORT="${CLUSTER_WSS_PORT:-$(port_from_base 3 3003)}"
ROUTING_PORT="${CLUSTER_ROUTING_PORT:-$(port_from_base 4 3100)}"
WHATSAPP_PORT="${CLUSTER_WHATSAPP_PORT:-$(port_from_base 5 3200)}"
ADMIN_PORT="${CLUSTER_ADMIN_PORT:-$(port_from_base 6 8899)}"
HAZELCAST_1_PORT="${CLUSTER_HAZELCAST_1_PORT:-$(port_from_base 7 5701)}"
HAZELCAST_2_PORT="${CLUSTER_HAZELCAST_2_PORT:-$(port_from_base 8 5702)}"
TYNTEC_PORT="${CLUSTER_TYNTEC_PORT:-$(port_from_base 9 4010)}"

HOST="${CLUSTER_HOST:-127.0.0.1}"
HAZELCAST_CLUSTER_NAME="${CLUSTER_HAZELCAST_CLUSTER_NAME:-switchboard-local}"
HAZELCAST_MEMBERS="127.0.0.1:$HAZELCAST_1_PORT,127.0.0.1:$HAZELCAST_2_PORT"
DATABASE_URL="${CLUSTER_DATABASE_URL:-mysql://root@127.0.0.1:3306/switchboard}"
DATA_DIR="${DATADIR:-$CLUSTER_DIR/data}"
START_TIMEOUT="${CLUSTER_START_TIMEOUT:-120}"
STOP_TIMEOUT="${CLUSTER_STOP_TIMEOUT:-20}"

# The TynTec API the connector calls: a real one, or the local fake this script starts.
TYNTEC_URL="${CLUSTER_TYNTEC_URL:-http://127.0.0.1:$TYNTEC_PORT/chat-api/v2/messages}"
FAKES=()
[[ -n "${CLUSTER_TYNTEC_URL:-}" ]] || FAKES=(tyntec-fake)

# Stop order (reverse start order): the entry point first, the members last.
SERVICES=(client-messenger-1 client-messenger-2 whatsapp-connector admin-api routing)
COMPONENTS=(haproxy "${SERVICES[@]}" "${FAKES[@]}" hazelcast-2 hazelcast-1)

usage() {
  cat <<USAGE
Usage: npm run cluster [-- <command> [options]]      (or: bash scripts/cluster.sh ...)

Commands:
  start [--no-provision] [--no-build] [--demo]
                    (the default) provision (scripts/provision.sh), build, then start
                    in the background: 2 Hazelcast members, routing (first: it migrates the database),
                    2 client-messenger nodes, whatsapp-connector, admin-api, and HAProxy in front of them;
                    and a local fake TynTec (tools/tyntec-fake) unless CLUSTER_TYNTEC_URL is set.
                    Waits for every /health/ready; on a failure prints the log tail and stops it all.
                    --demo: also seed what 'npm start' seeds (demo site, skill, agent; the demo WhatsApp
                    number on the fake TynTec) when the database has no site yet, and print the logins.
  stop              Stops exactly what start started (pid files): SIGTERM, SIGKILL after \$CLUSTER_STOP_TIMEOUT s.
  status            What runs where; exit code 3 when something is not running.
  restart SERVICE   Restarts one service (client-messenger-1|2, routing, whatsapp-connector, admin-api):
                    SIGTERM (it drains: HAProxy moves its clients), then starts it again from dist/
                    and waits for /health/ready. Also brings back a service that died (e.g. SIGKILL).
                    hazelcast-1|2: graceful member shutdown (partitions handed over), start, and wait
                    until the member sees the other one again.
  stop-service NAME, start-service NAME
                    The two halves of restart, for deploy/rolling-update.sh --stop-command/--start-command.

Ports (defaults; CLUSTER_BASE_PORT=B lays them out from B: ws B, nodes B+1 B+2, wss B+3, routing B+4,
whatsapp B+5, admin B+6, Hazelcast B+7 B+8, fake TynTec B+9; each variable below wins):
  CLUSTER_WS_PORT 3000        CLUSTER_WSS_PORT 3003       CLUSTER_MESSENGER_1_PORT 3001
  CLUSTER_MESSENGER_2_PORT 3002  CLUSTER_ROUTING_PORT 3100  CLUSTER_WHATSAPP_PORT 3200
  CLUSTER_ADMIN_PORT 8899     CLUSTER_HAZELCAST_1_PORT 5701  CLUSTER_HAZELCAST_2_PORT 5702
  CLUSTER_TYNTEC_PORT 4010
Environment:
  CLUSTER_DIR (.cache/cluster)   state: run/ (pid files; run/haproxy.sock: HAProxy's runtime API), logs/ (every
                                 component's log, the members' too), data/ (DATADIR), haproxy.cfg, haproxy.pem
  CLUSTER_HOST (127.0.0.1)       interface of the services and of HAProxy's frontends
  CLUSTER_DATABASE_URL (mysql://root@127.0.0.1:3306/switchboard)   created and migrated at start
  CLUSTER_HAZELCAST_CLUSTER_NAME (switchboard-local)   DATADIR (\$CLUSTER_DIR/data)
  CLUSTER_START_TIMEOUT (120 s per wait)   CLUSTER_STOP_TIMEOUT (20 s)
  CLUSTER_NODE_ARGS ()           extra node options for every service, e.g. "--prof" (V8 tick logs in
                                 the current folder: read them with 'node --prof-process FILE')
  CLUSTER_TYNTEC_URL            a real TynTec messages endpoint (no fake is started then)
Secrets, made once: the admin auth string in \$DATADIR/admin-auth.txt (as npm start's); the webhook secret and
  the fake's API key in \$CLUSTER_DIR (whatsapp-webhook-secret, tyntec-api-key). Configure TynTec's webhooks with npm run whatsapp:webhooks (docs/whatsapp.md).
Encryption: unless SWITCHBOARD_ENCRYPTION_KEY_FILE, _KEYS or _KEY_COMMAND is set, the services read the key
  file \$CLUSTER_DIR/encryption-keys.json, made once (back it up with the database; docs/security.md).
Exit codes: 0 ok, 1 failure, 2 usage error, 3 (status) not everything runs.
USAGE
}

fail() { echo "cluster: $*" >&2; exit 1; }
usage_error() { echo "cluster: $*" >&2; echo "Run 'npm run cluster -- --help'." >&2; exit 2; }
say() { printf '[cluster] %s\n' "$*"; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pid_of() { cat "$RUN_DIR/$1.pid" 2>/dev/null || true; }
# The kernel's start time of a process (/proc/<pid>/stat field 22): with the pid, it tells the process
# started here apart from an unrelated one that got the same pid after a crash and a reboot.
process_start() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 0
  stat="${stat##*) }"
  # shellcheck disable=SC2086
  set -- $stat
  echo "${20}"
}
is_running() {
  local pid
  pid="$(pid_of "$1")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && [[ "$(process_start "$pid")" == "$(meta_field "$1" 4)" ]]
}
# <name>.meta holds "url<TAB>log<TAB>hazelcast member name<TAB>process start time" for status and stop.
meta_field() { cut -f "$2" "$RUN_DIR/$1.meta" 2>/dev/null || true; }
record() {
  printf '%s\n' "$2" >"$RUN_DIR/$1.pid"
  printf '%s\t%s\t%s\t%s\n' "$3" "$4" "${5:-}" "$(process_start "$2")" >"$RUN_DIR/$1.meta"
}
forget() { rm -f "$RUN_DIR/$1.pid" "$RUN_DIR/$1.meta"; }

# --- start -------------------------------------------------------------------------------------

abort() {
  echo "cluster: $1" >&2
  if [[ -n "${2:-}" && -f "$2" ]]; then
    echo "--- last lines of $2 ---" >&2
    tail -n 40 "$2" >&2
    echo "---" >&2
  fi
  echo "cluster: stopping what was started" >&2
  stop_all >&2
  exit 1
}

# Runs a step quietly into a log; shows the log and fails when the step fails.
step() {
  local title="$1" log="$2"
  shift 2
  say "$title"
  "$@" >"$log" 2>&1 || { tail -n 40 "$log" >&2; fail "$title failed (full output: $log)"; }
}

http_ok() { curl --silent --fail --max-time 2 --output /dev/null "$@"; }

# Waits until `check` succeeds; fails fast when the component's process is gone.
wait_for() {
  local name="$1" log="$2"
  shift 2
  local deadline=$((SECONDS + START_TIMEOUT))
  until "$@"; do
    is_running "$name" || abort "$name exited during startup" "$log"
    ((SECONDS < deadline)) || abort "$name not ready after ${START_TIMEOUT}s" "$log"
    sleep 0.5
  done
}

latest_member_count() {
  grep -o 'Members {size:[0-9]*' "$1" 2>/dev/null | tail -n 1 | grep -o '[0-9]*$' || echo 0
}

members_formed() {
  local log
  for log in "$@"; do [[ "$(latest_member_count "$log")" == 2 ]] || return 1; done
}

member_name() { local port="HAZELCAST_${1}_PORT"; echo "$HAZELCAST_CLUSTER_NAME-${!port}"; }

# Starts member 1 or 2 (scripts/hazelcast.sh waits until it accepts connections) and records it.
start_member() {
  local index="$1" port="HAZELCAST_${1}_PORT" member status=0
  member="$(member_name "$index")"
  HAZELCAST_RUN_DIR="$HAZELCAST_RUN_DIR" HAZELCAST_START_TIMEOUT="$START_TIMEOUT" bash scripts/hazelcast.sh start \
    --port "${!port}" --cluster-name "$HAZELCAST_CLUSTER_NAME" --members "$HAZELCAST_MEMBERS" \
    --name "$member" --log "$LOG_DIR/hazelcast-$index.log" >"$LOG_DIR/hazelcast-$index.start.log" 2>&1 || status=$?
  # Recorded even when it failed to start in time, so that abort stops it too.
  [[ -f "$HAZELCAST_RUN_DIR/$member.pid" ]] && record "hazelcast-$index" "$(cat "$HAZELCAST_RUN_DIR/$member.pid")" \
    "tcp://127.0.0.1:${!port}" "$LOG_DIR/hazelcast-$index.log" "$member"
  return "$status"
}

wait_members_formed() {
  say "waiting for the two members to form cluster '$HAZELCAST_CLUSTER_NAME'"
  wait_for "$1" "$LOG_DIR/$1.log" members_formed "$LOG_DIR/hazelcast-1.log" "$LOG_DIR/hazelcast-2.log"
}

start_hazelcast() {
  local index failed=0 pids=()
  for index in 1 2; do
    start_member "$index" &
    pids+=($!)
  done
  for index in 1 2; do wait "${pids[$((index - 1))]}" || failed="$index"; done
  [[ $failed == 0 ]] || abort "Hazelcast member $(member_name "$failed") did not start" \
    "$LOG_DIR/hazelcast-$failed.start.log"
  wait_members_formed hazelcast-1
}

# The admin interface's auth string (a=…): made once in DATADIR, readable only by its owner; the same
# file name as the embedded mode's (DATADIR/admin-auth.txt).
admin_auth() {
  local file="$DATA_DIR/admin-auth.txt"
  [[ -f "$file" ]] || (umask 077 && openssl rand -base64 18 | tr '+/' '-_' >"$file")
  cat "$file"
}

# A secret made once per cluster folder, readable only by its owner.
cluster_secret() {
  local file="$CLUSTER_DIR/$1"
  [[ -f "$file" ]] || (umask 077 && openssl rand -base64 24 | tr '+/' '-_' >"$file")
  cat "$file"
}

# The column encryption keys (docs/security.md): the caller's, else a key file made once per cluster folder.
encryption_keys() {
  if [[ -n "${SWITCHBOARD_ENCRYPTION_KEY_FILE:-}${SWITCHBOARD_ENCRYPTION_KEYS:-}${SWITCHBOARD_ENCRYPTION_KEY_COMMAND:-}" ]]; then
    return
  fi
  local file="$CLUSTER_DIR/encryption-keys.json"
  [[ -f "$file" ]] || (umask 077 && printf '{ "active": "k1", "keys": { "k1": "%s" } }\n' "$(openssl rand -base64 32)" >"$file")
  echo "SWITCHBOARD_ENCRYPTION_KEY_FILE=$file"
}

start_service() {
  local name="$1" app="$2" port="$3" log="$LOG_DIR/$1.log"
  local extra=() node_args=()
  read -r -a node_args <<<"${CLUSTER_NODE_ARGS:-}"
  # The connector's TynTec, its webhook secret, and the addresses agents and WhatsApp users reach it at.
  [[ "$app" == whatsapp-connector ]] && extra=(
    ACD_WHATSAPP_TYNTEC_URL="$TYNTEC_URL"
    SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET="${SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET:-$(cluster_secret whatsapp-webhook-secret)}"
    ACD_WHATSAPP_SERVER_BASE_URL="${ACD_WHATSAPP_SERVER_BASE_URL:-http://$HOST:$WS_PORT}"
    ACD_WHATSAPP_WHATSAPP_URL="${ACD_WHATSAPP_WHATSAPP_URL:-https://$HOST:$WSS_PORT}"
  )
  # setsid: the service outlives this script and gets no terminal signals (Ctrl-C here).
  local keys
  keys="$(encryption_keys)"
  [[ -n "$keys" ]] && extra+=("$keys")
  env "${extra[@]}" SWITCHBOARD_CLUSTER=hazelcast \
    SWITCHBOARD_HAZELCAST_MEMBERS="$HAZELCAST_MEMBERS" \
    SWITCHBOARD_HAZELCAST_CLUSTER_NAME="$HAZELCAST_CLUSTER_NAME" \
    SWITCHBOARD_DATABASE_URL="$DATABASE_URL" \
    SWITCHBOARD_NODE_ID="$name" \
    SWITCHBOARD_ADMIN_AUTH="${SWITCHBOARD_ADMIN_AUTH:-$(admin_auth)}" \
    DATADIR="$DATA_DIR" PORT="$port" HOST="$HOST" NO_COLOR=1 \
    setsid node "${node_args[@]}" -r ./tools/register-aliases.js "dist/apps/$app/src/main.js" >"$log" 2>&1 </dev/null &
  record "$name" "$!" "http://$HOST:$port" "$log"
}

wait_ready() {
  local name
  for name in "$@"; do
    wait_for "$name" "$(meta_field "$name" 2)" http_ok "$(meta_field "$name" 1)/health/ready"
    say "$name ready"
  done
}

start_tyntec_fake() {
  local log="$LOG_DIR/tyntec-fake.log"
  setsid node -r ./tools/register-aliases.js dist/tools/tyntec-fake/main.js --port "$TYNTEC_PORT" \
    --api-key="$(cluster_secret tyntec-api-key)" --allow-http-callbacks >"$log" 2>&1 </dev/null &
  record tyntec-fake "$!" "http://127.0.0.1:$TYNTEC_PORT/chat-api/v2" "$log"
  wait_for tyntec-fake "$log" http_ok "http://127.0.0.1:$TYNTEC_PORT/__fake/sent"
  say "tyntec-fake ready (API key in $CLUSTER_DIR/tyntec-api-key)"
}

ensure_certificate() {
  [[ -f "$CERTIFICATE" ]] && return
  say "generating a self-signed certificate for localhost: $CERTIFICATE"
  local key="$CLUSTER_DIR/haproxy.key" cert="$CLUSTER_DIR/haproxy.crt"
  openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj /CN=localhost \
    -addext 'subjectAltName=DNS:localhost,IP:127.0.0.1' -keyout "$key" -out "$cert" >"$LOG_DIR/openssl.log" 2>&1 ||
    fail "openssl failed: see $LOG_DIR/openssl.log"
  (umask 077 && cat "$cert" "$key" >"$CERTIFICATE")
  rm -f "$key" "$cert"
}

start_haproxy() {
  local bind_address="$HOST" log="$LOG_DIR/haproxy.log"
  [[ "$bind_address" == 0.0.0.0 ]] && bind_address=''
  node dist/tools/haproxy/generate-haproxy-config.js \
    --client-messenger "client-messenger-1=127.0.0.1:$MESSENGER_1_PORT" \
    --client-messenger "client-messenger-2=127.0.0.1:$MESSENGER_2_PORT" \
    --whatsapp-connector "whatsapp-connector=127.0.0.1:$WHATSAPP_PORT" \
    --ws-port "$WS_PORT" --wss-port "$WSS_PORT" --bind-address "$bind_address" \
    --certificate "$CERTIFICATE" --stats-socket "$RUN_DIR/haproxy.sock" --log stdout \
    --out "$HAPROXY_CONFIG" >"$LOG_DIR/haproxy-config.log" 2>&1 ||
    abort "could not generate $HAPROXY_CONFIG" "$LOG_DIR/haproxy-config.log"
  "$HAPROXY_BIN" -c -q -f "$HAPROXY_CONFIG" >"$LOG_DIR/haproxy-check.log" 2>&1 ||
    abort "haproxy -c rejected $HAPROXY_CONFIG" "$LOG_DIR/haproxy-check.log"
  # -db: stay in the foreground, so the pid is HAProxy's own and its log goes to the log file.
  setsid "$HAPROXY_BIN" -db -f "$HAPROXY_CONFIG" >"$log" 2>&1 </dev/null &
  record haproxy "$!" "http://$HOST:$WS_PORT https://$HOST:$WSS_PORT" "$log"
  wait_for haproxy "$log" http_ok "http://127.0.0.1:$WS_PORT/health"
  wait_for haproxy "$log" http_ok --insecure "https://127.0.0.1:$WSS_PORT/health"
  say "haproxy ready"
}

start() {
  local provision=1 build=1 demo=0
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --no-provision) provision=0; shift ;;
      --no-build) build=0; shift ;;
      --demo) demo=1; shift ;;
      *) usage_error "start: unknown option '$1'" ;;
    esac
  done
  mkdir -p "$RUN_DIR" "$LOG_DIR" "$DATA_DIR"
  local name running=() stale=()
  for name in "${COMPONENTS[@]}"; do
    if is_running "$name"; then running+=("$name"); elif [[ -f "$RUN_DIR/$name.pid" ]]; then stale+=("$name"); fi
  done
  if [[ ${#running[@]} -eq ${#COMPONENTS[@]} ]]; then
    say "already running (npm run cluster -- stop to stop it):"
    print_table
    return 0
  fi
  [[ ${#running[@]} -eq 0 ]] ||
    fail "partly running (${running[*]}); run 'npm run cluster -- stop' first"
  for name in "${stale[@]}"; do forget "$name"; done
  local port
  for port in "$WS_PORT" "$WSS_PORT" "$MESSENGER_1_PORT" "$MESSENGER_2_PORT" "$ROUTING_PORT" "$WHATSAPP_PORT" \
    "$ADMIN_PORT" "$HAZELCAST_1_PORT" "$HAZELCAST_2_PORT" ${FAKES[0]:+"$TYNTEC_PORT"}; do
    port_open "$port" && fail "port $port is already in use (see --help to choose other ports)"
  done

  if [[ $provision == 1 ]]; then
    step "provisioning (scripts/provision.sh)" "$LOG_DIR/provision.log" bash scripts/provision.sh
  fi
  if [[ $build == 1 ]]; then step "building (npm run build)" "$LOG_DIR/build.log" npm run build --silent; fi
  [[ -f dist/tools/haproxy/generate-haproxy-config.js ]] || fail "no build under dist/; run without --no-build"
  ensure_certificate

  trap 'abort "interrupted"' INT TERM
  say "starting Hazelcast members on $HAZELCAST_1_PORT and $HAZELCAST_2_PORT"
  start_hazelcast
  [[ ${#FAKES[@]} -eq 0 ]] || start_tyntec_fake
  # One service migrates the database before the others start: concurrent first migrations collide.
  say "starting routing (migrates $DATABASE_URL)"
  start_service routing routing "$ROUTING_PORT"
  wait_ready routing
  say "starting client-messenger-1, client-messenger-2, whatsapp-connector, admin-api"
  start_service client-messenger-1 client-messenger "$MESSENGER_1_PORT"
  start_service client-messenger-2 client-messenger "$MESSENGER_2_PORT"
  start_service whatsapp-connector whatsapp-connector "$WHATSAPP_PORT"
  start_service admin-api admin-api "$ADMIN_PORT"
  wait_ready client-messenger-1 client-messenger-2 whatsapp-connector admin-api
  say "starting HAProxy on $WS_PORT (ws) and $WSS_PORT (wss)"
  start_haproxy
  [[ $demo == 0 ]] || seed_demo
  trap - INT TERM
  echo
  print_table
  echo
  echo "Visitors and agents: http://$HOST:$WS_PORT/gui/ (wss: https://$HOST:$WSS_PORT/gui/, self-signed certificate)."
  echo "Admin interface: http://$HOST:$ADMIN_PORT/status.json?a=<auth string in $DATA_DIR/admin-auth.txt>"
  if [[ $demo == 1 ]]; then
    echo "  visitor demo  http://$HOST:$WS_PORT/gui/demo.html   (the chat widget on a demo page of site \"demo\")"
    echo "  agent console http://$HOST:$WS_PORT/gui/console/"
    cat "$LOG_DIR/demo.out"
  fi
  echo "Stop with: npm run cluster -- stop"
}

# The demo data of npm start (apps/embedded/src/dev/cluster-demo.ts): seeded once, logins printed by start.
seed_demo() {
  say "seeding the demo (as npm start does)"
  local tyntec=()
  [[ ${#FAKES[@]} -eq 0 ]] || tyntec=(--tyntec-url "http://127.0.0.1:$TYNTEC_PORT")
  # The demo writes encrypted columns: it reads the keys the services read.
  local keys=()
  keys=("$(encryption_keys)")
  [[ -n "${keys[0]}" ]] || keys=()
  env "${keys[@]}" SWITCHBOARD_DATABASE_URL="$DATABASE_URL" DATADIR="$DATA_DIR" NO_COLOR=1 \
    SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET="${SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET:-$(cluster_secret whatsapp-webhook-secret)}" \
    SWITCHBOARD_TYNTEC_API_KEY="$(cluster_secret tyntec-api-key)" \
    node -r ./tools/register-aliases.js dist/apps/embedded/src/dev/cluster-demo.js \
    --server-url "http://127.0.0.1:$WS_PORT" "${tyntec[@]}" >"$LOG_DIR/demo.out" 2>"$LOG_DIR/demo.log" ||
    abort "seeding the demo failed" "$LOG_DIR/demo.log"
}

# Sets app and port of a service component; usage error for an unknown name.
service_of() {
  case "$1" in
    client-messenger-1) app=client-messenger port="$MESSENGER_1_PORT" ;;
    client-messenger-2) app=client-messenger port="$MESSENGER_2_PORT" ;;
    routing) app=routing port="$ROUTING_PORT" ;;
    whatsapp-connector) app=whatsapp-connector port="$WHATSAPP_PORT" ;;
    admin-api) app=admin-api port="$ADMIN_PORT" ;;
    hazelcast-1 | hazelcast-2) app=hazelcast port='' ;;
    *) usage_error "unknown service '$1' (one of ${SERVICES[*]} hazelcast-1 hazelcast-2)" ;;
  esac
}

stop_service() {
  [[ $# -eq 1 ]] || usage_error "stop-service takes one service name"
  local app port
  service_of "$1"
  if [[ $app == hazelcast ]]; then stop_members "$1"; elif [[ -f "$RUN_DIR/$1.pid" ]]; then stop_group "$1"; fi
}

start_one_service() {
  [[ $# -eq 1 ]] || usage_error "start-service takes one service name"
  local name="$1" app port
  service_of "$name"
  is_running "$name" && fail "$name is already running"
  is_running hazelcast-1 || is_running hazelcast-2 || fail "the cluster is not running: npm run cluster first"
  trap 'abort "interrupted"' INT TERM
  say "starting $name"
  if [[ $app == hazelcast ]]; then
    start_member "${name#hazelcast-}" || fail "$name did not start: see $LOG_DIR/$name.start.log"
    wait_members_formed "$name"
    say "$name ready"
  else
    start_service "$name" "$app" "$port"
    wait_ready "$name"
  fi
  trap - INT TERM
}

restart() {
  [[ $# -eq 1 ]] || usage_error "restart takes one service name"
  local app port
  service_of "$1"
  stop_service "$1"
  start_one_service "$1"
}

# --- stop and status ---------------------------------------------------------------------------

# SIGTERM to every listed component at once, SIGKILL to those still alive after STOP_TIMEOUT.
stop_group() {
  local name pid pids=() names=()
  for name in "$@"; do
    [[ -f "$RUN_DIR/$name.pid" ]] || continue
    if is_running "$name"; then
      pid="$(pid_of "$name")"
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid")
      names+=("$name")
    else
      say "$name was not running"
      forget "$name"
    fi
  done
  local deadline=$((SECONDS + STOP_TIMEOUT)) index
  for index in "${!pids[@]}"; do
    while kill -0 "${pids[$index]}" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    if kill -0 "${pids[$index]}" 2>/dev/null; then
      say "${names[$index]} ignored SIGTERM for ${STOP_TIMEOUT}s; sending SIGKILL"
      kill -KILL "${pids[$index]}" 2>/dev/null || true
    fi
    say "${names[$index]} stopped (pid ${pids[$index]})"
    forget "${names[$index]}"
  done
}

stop_members() {
  local name member pids=()
  for name in "$@"; do
    [[ -f "$RUN_DIR/$name.pid" ]] || continue
    member="$(meta_field "$name" 3)"
    # hazelcast.sh stops its member gracefully (it hands its partitions over first).
    HAZELCAST_RUN_DIR="$HAZELCAST_RUN_DIR" HAZELCAST_STOP_TIMEOUT="$STOP_TIMEOUT" bash scripts/hazelcast.sh stop --name "$member" >/dev/null 2>&1 &
    pids+=($!)
  done
  for member in "${pids[@]}"; do wait "$member" || true; done
  for name in "$@"; do
    [[ -f "$RUN_DIR/$name.pid" ]] || continue
    # Whatever hazelcast.sh did, the pid recorded here must be gone too.
    if is_running "$name"; then stop_group "$name"; else say "$name stopped (pid $(pid_of "$name"))" && forget "$name"; fi
  done
}

stop_all() {
  stop_group haproxy
  rm -f "$RUN_DIR/haproxy.sock"
  stop_group "${SERVICES[@]}"
  stop_group tyntec-fake
  stop_members hazelcast-2 hazelcast-1
}

stop() {
  [[ $# -eq 0 ]] || usage_error "stop takes no options"
  compgen -G "$RUN_DIR/*.pid" >/dev/null || { say "nothing to stop (no pid files in $RUN_DIR)"; return 0; }
  stop_all
}

print_table() {
  local name state
  printf '%-20s %-8s %-8s %-46s %s\n' NAME PID STATE URL LOG
  for name in hazelcast-1 hazelcast-2 tyntec-fake routing client-messenger-1 client-messenger-2 whatsapp-connector \
    admin-api haproxy; do
    [[ -f "$RUN_DIR/$name.pid" ]] || continue
    if is_running "$name"; then state=running; else state=dead; fi
    printf '%-20s %-8s %-8s %-46s %s\n' "$name" "$(pid_of "$name")" "$state" "$(meta_field "$name" 1)" \
      "$(meta_field "$name" 2)"
  done
}

status() {
  [[ $# -eq 0 ]] || usage_error "status takes no options"
  compgen -G "$RUN_DIR/*.pid" >/dev/null || { say "not running (no pid files in $RUN_DIR)"; return 3; }
  print_table
  local name
  for name in "${COMPONENTS[@]}"; do is_running "$name" || return 3; done
}

command="${1:-start}"
if [[ "$command" == --no-* ]]; then command=start; else [[ $# -gt 0 ]] && shift; fi
case "$command" in
  start) start "$@" ;;
  stop) stop "$@" ;;
  status) status "$@" ;;
  restart) restart "$@" ;;
  stop-service) stop_service "$@" ;;
  start-service) start_one_service "$@" ;;
  -h | --help | help) usage ;;
  *) usage_error "unknown command '$command'" ;;
esac
