#!/usr/bin/env bash
# Updates the services of this machine one at a time, waiting for each to be ready again, so that
# HAProxy always has a healthy node (the seed's updatesc.sh, without the outage).
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/rolling-update.sh [--prefix DIR] [--services "..."] [--timeout SECONDS] [--help]

For each service: rebuild from the checkout at the prefix, restart switchboard@<service> (SIGTERM:
it stops accepting and HAProxy moves its clients), then wait until GET /health/ready answers 200
on the service's PORT before touching the next one. Stops at the first service that does not come
back, leaving the others running the old version.
USAGE
}

prefix=/opt/switchboard
services="routing whatsapp-connector admin-api client-messenger"
timeout=60
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix=$2; shift 2 ;;
    --services) services=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "rolling-update: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done

cd "$prefix"
echo "[rolling-update] building"
npm ci && npm run build && npm prune --omit=dev
for service in $services; do
  port=$(sed -n 's/^PORT=//p' "/etc/switchboard/$service.env")
  echo "[rolling-update] restarting switchboard@$service (port $port)"
  systemctl restart "switchboard@$service"
  for _ in $(seq 1 "$timeout"); do
    curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
    sleep 1
  done
  curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null ||
    { echo "[rolling-update] switchboard@$service is not ready after ${timeout}s: see journalctl -u switchboard@$service" >&2; exit 1; }
  echo "[rolling-update] switchboard@$service ready"
done
echo "[rolling-update] done"
