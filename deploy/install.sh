#!/usr/bin/env bash
# Installs Switchboard on one machine as systemd services (the seed's "install as a daemon" step).
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/install.sh [options]

Installs Switchboard into the prefix and its systemd units, for the roles this machine runs:
  1. the `switchboard` system user (no login, no home) unless it exists
  2. the code, copied from where this script is: an unpacked release (`npm run release` makes the
     tarball: built, production packages, the Hazelcast jar; nothing is compiled or downloaded here),
     or a git checkout (copied, then `npm ci`, `npm run build`, `npm prune --omit=dev`)
  3. for the hazelcast role: the Hazelcast member jar (scripts/hazelcast.sh fetch; a release has it)
  4. DATADIR (owned by the user, mode 0750), the config folder
  5. <config-dir>/<role>.env from deploy/env/<role>.env.example where missing (an existing one is kept),
     DATADIR set; a random SWITCHBOARD_ADMIN_AUTH and SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET where CHANGE-ME
  6. the units switchboard@.service and switchboard-hazelcast.service, rendered for the paths below,
     then `systemctl daemon-reload` when systemd runs
It starts nothing: edit the .env files (database URL, members), then `systemctl enable --now ...` as printed.

Options:
  --roles "LIST"        roles of this machine (default: all): client-messenger routing
                        whatsapp-connector admin-api hazelcast  (--services is the same option)
  --prefix DIR          code (default /opt/switchboard)
  --config-dir DIR      the .env files (default /etc/switchboard)
  --data-dir DIR        DATADIR: media, logs, SQLite (default /srv/switchboard/data)
  --systemd-dir DIR     where the units go (default /etc/systemd/system)
  --user NAME           the user the services run as (default switchboard; created when missing)
  --node PATH           node binary in the units (default: `command -v node`)
  --dry-run             print every step, change nothing
  -h, --help            this text
Run again to update the code in place (env files are kept); for an update without an outage use
deploy/rolling-update.sh (docs/operations.md, "Update").
Exit codes: 0 ok, 1 a step failed, 2 usage error.
USAGE
}

usage_error() { echo "install: $*" >&2; echo "Run 'deploy/install.sh --help'." >&2; exit 2; }
all_roles="client-messenger routing whatsapp-connector admin-api hazelcast"
roles=$all_roles
prefix=/opt/switchboard
config_dir=/etc/switchboard
data_dir=/srv/switchboard/data
systemd_dir=/etc/systemd/system
user=switchboard
node_binary=''
dry_run=0
while [ $# -gt 0 ]; do
  case "$1" in
    --roles | --services) roles=${2:?$1 needs a value}; shift 2 ;;
    --prefix) prefix=${2:?--prefix needs a folder}; shift 2 ;;
    --config-dir) config_dir=${2:?--config-dir needs a folder}; shift 2 ;;
    --data-dir) data_dir=${2:?--data-dir needs a folder}; shift 2 ;;
    --systemd-dir) systemd_dir=${2:?--systemd-dir needs a folder}; shift 2 ;;
    --user) user=${2:?--user needs a name}; shift 2 ;;
    --node) node_binary=${2:?--node needs a path}; shift 2 ;;
    --dry-run) dry_run=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
done
for role in $roles; do
  case " $all_roles " in *" $role "*) ;; *) usage_error "unknown role '$role' (one of: $all_roles)" ;; esac
done
for folder in "$prefix" "$config_dir" "$data_dir" "$systemd_dir"; do
  case "$folder" in /*) ;; *) usage_error "'$folder' is not an absolute path" ;; esac
done
node_binary=${node_binary:-$(command -v node || true)}
[ -n "$node_binary" ] || usage_error "no node on the PATH: install Node.js 20 (docs/operations.md) or pass --node"
source_dir=$(cd "$(dirname "$0")/.." && pwd)
group=$user

run() {
  echo "+ $*"
  [ "$dry_run" = 1 ] || "$@"
}

# Copies a template to a file with the install's paths and user in place of the defaults.
render() {
  local template=$1 target=$2 mode=$3
  echo "+ render $template -> $target (mode $mode)"
  [ "$dry_run" = 1 ] && return
  sed -e "s|/opt/switchboard|$prefix|g" -e "s|/etc/switchboard|$config_dir|g" \
    -e "s|/srv/switchboard/data|$data_dir|g" -e "s|^User=switchboard|User=$user|" \
    -e "s|^Group=switchboard|Group=$group|" -e "s|^ExecStart=/usr/bin/node |ExecStart=$node_binary |" \
    "$template" >"$target.tmp"
  chmod "$mode" "$target.tmp"
  mv "$target.tmp" "$target"
}

# Replaces NAME=CHANGE-ME in an env file by a random secret (the file is not printed).
generate_secret() {
  local file=$1 name=$2
  echo "+ generate $name in $file"
  [ "$dry_run" = 1 ] && return
  grep -q "^$name=CHANGE-ME" "$file" || return 0
  sed -i "s|^$name=CHANGE-ME.*|$name=$(openssl rand -base64 24 | tr '+/' '-_')|" "$file"
}

# The column encryption key file (docs/security.md), made once and never printed: the services refuse
# to start without their key. Copy the same file to every node of the installation.
generate_key_file() {
  local file=$1
  echo "+ generate the encryption key file $file"
  [ "$dry_run" = 1 ] && return
  [ -f "$file" ] && return 0
  (umask 077 && printf '{ "active": "k1", "keys": { "k1": "%s" } }\n' "$(openssl rand -base64 32)" >"$file")
  chown "$user:$group" "$file"
}

echo "installing roles: $roles"
if ! id "$user" >/dev/null 2>&1; then
  run useradd --system --no-create-home --home-dir "$prefix" --shell /usr/sbin/nologin "$user"
fi
run mkdir -p "$prefix" "$config_dir" "$data_dir"

if [ -f "$source_dir/RELEASE" ]; then
  echo "from the release in $source_dir ($(cat "$source_dir/RELEASE"))"
  run rsync -a --delete --exclude data "$source_dir/" "$prefix/"
else
  echo "from the checkout in $source_dir (building)"
  run rsync -a --delete --exclude node_modules --exclude data --exclude .cache --exclude dist --exclude .git \
    "$source_dir/" "$prefix/"
  run bash -c "cd '$prefix' && npm ci --no-audit --no-fund && npm run build && npm prune --omit=dev --no-audit --no-fund"
fi
case " $roles " in
  *" hazelcast "*) run env HAZELCAST_CACHE_DIR="$prefix/.cache/hazelcast" bash "$prefix/scripts/hazelcast.sh" fetch ;;
esac

run chown -R "root:$group" "$config_dir"
run chmod 0750 "$config_dir"
run chown "$user:$group" "$data_dir"
run chmod 0750 "$data_dir"
for role in $roles; do
  env_file="$config_dir/$role.env"
  if [ -f "$env_file" ]; then
    echo "keeping $env_file"
    continue
  fi
  render "$source_dir/deploy/env/$role.env.example" "$env_file" 0640
  run chgrp "$group" "$env_file"
  case "$role" in
    admin-api) generate_secret "$env_file" SWITCHBOARD_ADMIN_AUTH ;;
    whatsapp-connector) generate_secret "$env_file" SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET ;;
  esac
done

case " $roles " in
  *" client-messenger "* | *" routing "* | *" whatsapp-connector "* | *" admin-api "*)
    generate_key_file "$config_dir/encryption-keys.json"
    ;;
esac

run mkdir -p "$systemd_dir"
render "$source_dir/deploy/switchboard@.service" "$systemd_dir/switchboard@.service" 0644
render "$source_dir/deploy/switchboard-hazelcast.service" "$systemd_dir/switchboard-hazelcast.service" 0644
if [ -d /run/systemd/system ]; then
  run systemctl daemon-reload
else
  echo "systemd is not running here: no daemon-reload"
fi

units=''
for role in $roles; do
  if [ "$role" = hazelcast ]; then units="$units switchboard-hazelcast"; else units="$units switchboard@$role"; fi
done
echo "installed into $prefix. Next: edit $config_dir/*.env (database URL, Hazelcast members), then:"
echo "  systemctl enable --now$units"
