#!/usr/bin/env bash
# Installs Switchboard on one machine as systemd services (the seed's "install as a daemon" step).
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/install.sh [--prefix DIR] [--services "client-messenger routing ..."] [--dry-run] [--help]

Copies this checkout to the prefix (default /opt/switchboard), installs production npm packages,
builds, creates the `switchboard` user, installs the systemd units and, where missing,
/etc/switchboard/<service>.env from deploy/env/*.env.example (edit them before starting).
Then: systemctl enable --now switchboard@<service>
  --services   which services this machine runs (default: all four)
  --dry-run    print what would be done, change nothing
USAGE
}

prefix=/opt/switchboard
services="client-messenger routing whatsapp-connector admin-api"
dry_run=0
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix=$2; shift 2 ;;
    --services) services=$2; shift 2 ;;
    --dry-run) dry_run=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "install: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done

run() { echo "+ $*"; [ "$dry_run" = 1 ] || "$@"; }
source_dir=$(cd "$(dirname "$0")/.." && pwd)

id switchboard >/dev/null 2>&1 || run useradd --system --home "$prefix" --shell /usr/sbin/nologin switchboard
run mkdir -p "$prefix" /etc/switchboard
run rsync -a --delete --exclude node_modules --exclude data --exclude .cache --exclude dist "$source_dir/" "$prefix/"
run bash -c "cd '$prefix' && npm ci && npm run build && npm prune --omit=dev"
run install -m 0644 "$source_dir/deploy/switchboard@.service" "$source_dir/deploy/switchboard-hazelcast.service" /etc/systemd/system/
for service in $services; do
  [ -f "$source_dir/deploy/env/$service.env.example" ] || { echo "install: unknown service '$service'" >&2; exit 2; }
  [ -f "/etc/switchboard/$service.env" ] ||
    run install -m 0640 -g switchboard "$source_dir/deploy/env/$service.env.example" "/etc/switchboard/$service.env"
done
run chown -R switchboard:switchboard "$prefix"
run systemctl daemon-reload
echo "installed. Edit /etc/switchboard/*.env, then: systemctl enable --now $(printf 'switchboard@%s ' $services)"
