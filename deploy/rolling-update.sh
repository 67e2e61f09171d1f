#!/usr/bin/env bash
# Updates a Switchboard cluster one node at a time without an outage and without losing or doubling a
# chat line (the seed's updatesc.sh, done right): HAProxy moves each node's clients before it stops.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/rolling-update.sh [options] (--member ... | --service ... | --node ...)...

One at a time, in this order:
  Hazelcast members (--member NAME=HOST:PORT): wait until the cluster is safe (every partition backed
    up), stop (graceful: the member hands its partitions over), update, start, wait until the member's
    health (http://HOST:PORT/hazelcast/health) shows every member back and the cluster safe.
  Services without HAProxy, e.g. routing, admin-api (--service NAME=URL): stop, update, start, wait
    until URL/health/ready answers 200.
  Nodes behind HAProxy (--node [BACKEND/]NAME=URL; BACKEND defaults to client_messenger, NAME is the
    server name in haproxy.cfg), through the runtime API of every HAProxy (--haproxy-socket):
      1. drain: `set server BACKEND/NAME state drain` (no new clients), then `state maint` and
         `shutdown sessions server BACKEND/NAME`: its open sockets close and their clients reconnect
         through HAProxy to the other nodes, where they catch up by sequence and resend what was not
         acknowledged (nothing lost, nothing twice). maint, not only drain: drain still lets clients
         with a SERVERID cookie back in.
      2. wait until HAProxy shows no session on NAME (the sockets moved)
      3. stop, update, start; wait until URL/health/ready answers 200
      4. `set server BACKEND/NAME state ready`; wait until HAProxy reports it UP (its checks pass)
  and only then the next one. The first step that fails stops the update with a message: the nodes
  not yet reached keep running the old version; a drained node stays drained (re-enable it by hand:
  `set server BACKEND/NAME state ready`).

Options:
  --member NAME=HOST:PORT          a Hazelcast member (repeatable)
  --service NAME=URL               a service not behind HAProxy (repeatable)
  --node [BACKEND/]NAME=URL        a node behind HAProxy (repeatable)
  --haproxy-socket PATH            an HAProxy runtime API socket (repeatable; default
                                   /run/haproxy/admin.sock, the `stats socket` of haproxy.cfg)
  --stop-command CMD               default: systemctl stop {unit}
  --update-command CMD             default: none; e.g. 'ssh {host} sudo /srv/switchboard-0.2.0/deploy/install.sh'
  --start-command CMD              default: systemctl start {unit}
                                   In the commands (run with bash -c), {name} is the member, service or
                                   node name, {host} the host of its address or URL (for ssh to other
                                   machines: 'ssh {host} sudo systemctl stop {unit}'), and {unit} its
                                   systemd unit: switchboard-hazelcast for a
                                   member, switchboard@client-messenger for a client_messenger node,
                                   switchboard@whatsapp-connector for a whatsapp_connector node,
                                   switchboard@NAME for a service.
  --timeout SECONDS                for each wait (default 120)
  -h, --help                       this text
Local cluster (npm run cluster) instead of systemd:
  --stop-command 'bash scripts/cluster.sh stop-service {name}'
  --start-command 'bash scripts/cluster.sh start-service {name}'
  --haproxy-socket .cache/cluster/run/haproxy.sock (docs/operations.md, "Update").
Needs curl and socat. Exit codes: 0 every node updated, 1 a step failed (see the message), 2 usage error.
USAGE
}

fail() { echo "rolling-update: $*" >&2; exit 1; }
usage_error() { echo "rolling-update: $*" >&2; echo "Run 'deploy/rolling-update.sh --help'." >&2; exit 2; }
say() { printf '[rolling-update] %s\n' "$*"; }

members=() services=() nodes=() sockets=()
stop_command='systemctl stop {unit}'
update_command=''
start_command='systemctl start {unit}'
timeout=120
while [ $# -gt 0 ]; do
  case "$1" in
    --member) members+=("${2:?--member needs NAME=HOST:PORT}"); shift 2 ;;
    --service) services+=("${2:?--service needs NAME=URL}"); shift 2 ;;
    --node) nodes+=("${2:?--node needs [BACKEND/]NAME=URL}"); shift 2 ;;
    --haproxy-socket) sockets+=("${2:?--haproxy-socket needs a path}"); shift 2 ;;
    --stop-command) stop_command=${2?--stop-command needs a command}; shift 2 ;;
    --update-command) update_command=${2?--update-command needs a command}; shift 2 ;;
    --start-command) start_command=${2?--start-command needs a command}; shift 2 ;;
    --timeout) timeout=${2:?--timeout needs seconds}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
done
[[ "$timeout" =~ ^[0-9]+$ ]] || usage_error "--timeout must be a number of seconds"
[ $((${#members[@]} + ${#services[@]} + ${#nodes[@]})) -gt 0 ] || usage_error "nothing to update: give --member, --service or --node"
for entry in "${members[@]}" "${services[@]}" "${nodes[@]}"; do
  [[ "$entry" == ?*=?* ]] || usage_error "'$entry' is not NAME=ADDRESS"
done
[ ${#sockets[@]} -gt 0 ] || sockets=(/run/haproxy/admin.sock)
if [ ${#nodes[@]} -gt 0 ]; then
  command -v socat >/dev/null || fail "socat is missing (apt-get install socat): it talks to HAProxy's runtime API"
  for socket in "${sockets[@]}"; do
    [ -S "$socket" ] || fail "no HAProxy runtime API at $socket (the 'stats socket' of haproxy.cfg; see --haproxy-socket)"
  done
fi

# The host of HOST:PORT or of a URL.
host_of() {
  local address=${1#*://}
  address=${address%%/*}
  echo "${address%:*}"
}

# Runs a command template with {name}, {host} and {unit} filled in.
run_step() {
  local what=$1 template=$2 name=$3 address=$4 unit=$5 command
  [ -n "$template" ] || return 0
  command=${template//\{name\}/$name}
  command=${command//\{host\}/$(host_of "$address")}
  command=${command//\{unit\}/$unit}
  say "$what $name: $command"
  bash -c "$command" || fail "$what $name failed: $command"
}

# Polls `check ARGS...` once a second until it succeeds, or fails after the timeout.
wait_until() {
  local what=$1 deadline=$((SECONDS + timeout))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || fail "$what: not after ${timeout}s"
    sleep 1
  done
}

http_ok() { curl --silent --fail --max-time 2 --output /dev/null "$1"; }

haproxy() {
  local socket answer
  for socket in "${sockets[@]}"; do
    answer=$(echo "$1" | socat stdio "UNIX-CONNECT:$socket") || fail "HAProxy at $socket did not answer '$1'"
    case "$answer" in *"No such"* | *"Unknown"* | *"Require"*) fail "HAProxy at $socket refused '$1': $answer" ;; esac
  done
}

# A field of `show stat` for BACKEND/NAME from every HAProxy, one line each (5: sessions now, 18: status).
stat_field() {
  local socket
  for socket in "${sockets[@]}"; do
    echo 'show stat' | socat stdio "UNIX-CONNECT:$socket" | awk -F, -v backend="$1" -v server="$2" -v field="$3" \
      '$1 == backend && $2 == server { print $field }'
  done
}

no_sessions() { ! stat_field "$1" "$2" 5 | grep -qv '^0$'; }
all_up() { ! stat_field "$1" "$2" 18 | grep -qv '^UP'; }

# The member's health: {"nodeState":"ACTIVE",...,"clusterSafe":true,...,"clusterSize":2}
member_whole() {
  local health
  health=$(curl --silent --fail --max-time 2 "http://$1/hazelcast/health") || return 1
  [[ "$health" == *'"nodeState":"ACTIVE"'* && "$health" == *'"clusterSafe":true'* &&
    "$health" == *"\"clusterSize\":${#members[@]}"* ]]
}

for entry in "${members[@]}"; do
  name=${entry%%=*} address=${entry#*=}
  say "member $name ($address)"
  wait_until "the cluster is not safe before stopping $name (a partition lacks its backup)" member_whole "$address"
  run_step stop "$stop_command" "$name" "$address" switchboard-hazelcast
  run_step update "$update_command" "$name" "$address" switchboard-hazelcast
  run_step start "$start_command" "$name" "$address" switchboard-hazelcast
  wait_until "member $name did not rejoin a whole, safe cluster" member_whole "$address"
  say "member $name updated"
done

for entry in "${services[@]}"; do
  name=${entry%%=*} url=${entry#*=}
  say "service $name ($url)"
  run_step stop "$stop_command" "$name" "$url" "switchboard@$name"
  run_step update "$update_command" "$name" "$url" "switchboard@$name"
  run_step start "$start_command" "$name" "$url" "switchboard@$name"
  wait_until "$name is not ready at $url/health/ready" http_ok "$url/health/ready"
  say "service $name updated"
done

for entry in "${nodes[@]}"; do
  server=${entry%%=*} url=${entry#*=}
  backend=client_messenger
  if [[ "$server" == */* ]]; then backend=${server%%/*} server=${server#*/}; fi
  unit="switchboard@${backend//_/-}"
  say "node $backend/$server ($url)"
  [ -n "$(stat_field "$backend" "$server" 18)" ] || fail "HAProxy has no server $backend/$server (see 'show stat')"
  haproxy "set server $backend/$server state drain"
  haproxy "set server $backend/$server state maint"
  haproxy "shutdown sessions server $backend/$server"
  wait_until "the sockets of $server did not move" no_sessions "$backend" "$server"
  say "$server drained: its clients moved to the other nodes"
  run_step stop "$stop_command" "$server" "$url" "$unit"
  run_step update "$update_command" "$server" "$url" "$unit"
  run_step start "$start_command" "$server" "$url" "$unit"
  wait_until "$server is not ready at $url/health/ready" http_ok "$url/health/ready"
  haproxy "set server $backend/$server state ready"
  wait_until "HAProxy does not see $server UP" all_up "$backend" "$server"
  say "node $server updated and back in HAProxy"
done
say "done"
