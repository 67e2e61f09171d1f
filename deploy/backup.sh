#!/usr/bin/env bash
# Backs up and restores a Switchboard installation: the MariaDB database (one consistent snapshot) and
# DATADIR (media, logs, secrets of the embedded mode).
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/backup.sh backup  [--env FILE] [--database-url URL] [--data-dir DIR] --out DIR
       deploy/backup.sh restore [--env FILE] [--database-url URL] [--data-dir DIR] --from BACKUP --yes
       deploy/backup.sh --help

backup   Writes DIR/switchboard-<database>-<UTC time>/ with
           database.sql.gz   mariadb-dump --single-transaction (one consistent snapshot while the
                             services keep running: InnoDB, no table locks), routines, triggers, events
           datadir.tar.gz    DATADIR
           SHA256SUMS        checked by restore
         and prints its path. Readable by its owner only (it holds the data and the secrets).
restore  Checks SHA256SUMS, then REPLACES the database (drop, create utf8mb4, load the dump) and
         DATADIR (the current one is kept beside it as DATADIR.before-restore-<time>). Stop every
         service that uses the database first (systemctl stop 'switchboard@*'); start them again after.
         Refuses without --yes.

  --env FILE          read SWITCHBOARD_DATABASE_URL and DATADIR from a service's env file
                      (e.g. /etc/switchboard/routing.env)
  --database-url URL  mysql://user:password@host:port/database (wins over --env)
  --data-dir DIR      DATADIR (wins over --env)
The password goes to mariadb-dump and mariadb through a temporary option file (mode 0600), never on
a command line. Needs mariadb-dump and mariadb (Debian package mariadb-client).
Exit codes: 0 ok, 1 failure, 2 usage error.
USAGE
}

fail() { echo "backup: $*" >&2; exit 1; }
usage_error() { echo "backup: $*" >&2; echo "Run 'deploy/backup.sh --help'." >&2; exit 2; }

command=${1:-}
case "$command" in
  backup | restore) shift ;;
  -h | --help | help) usage; exit 0 ;;
  '') usage_error "missing command: backup or restore" ;;
  *) usage_error "unknown command '$command'" ;;
esac

env_file='' database_url='' data_dir='' out='' from='' confirmed=0
while [ $# -gt 0 ]; do
  case "$1" in
    --env) env_file=${2:?--env needs a file}; shift 2 ;;
    --database-url) database_url=${2:?--database-url needs a URL}; shift 2 ;;
    --data-dir) data_dir=${2:?--data-dir needs a folder}; shift 2 ;;
    --out) out=${2:?--out needs a folder}; shift 2 ;;
    --from) from=${2:?--from needs a backup folder}; shift 2 ;;
    --yes) confirmed=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
done
if [ -n "$env_file" ]; then
  [ -r "$env_file" ] || usage_error "cannot read $env_file"
  [ -n "$database_url" ] || database_url=$(sed -n 's/^SWITCHBOARD_DATABASE_URL=//p' "$env_file")
  [ -n "$data_dir" ] || data_dir=$(sed -n 's/^DATADIR=//p' "$env_file")
fi
[ -n "$database_url" ] || usage_error "no database: give --database-url or --env"
[ -n "$data_dir" ] || usage_error "no DATADIR: give --data-dir or --env"
data_dir=${data_dir%/}

# mysql://user[:password]@host[:port]/database
pattern='^mysql://([^:@/]+)(:([^@]*))?@([^:/]+)(:([0-9]+))?/([A-Za-z0-9_]+)$'
[[ "$database_url" =~ $pattern ]] ||
  usage_error "the database URL must look like mysql://user:password@host:3306/database (letters, digits and _ in the name)"
db_user=${BASH_REMATCH[1]} db_password=${BASH_REMATCH[3]} db_host=${BASH_REMATCH[4]}
db_port=${BASH_REMATCH[6]:-3306} database=${BASH_REMATCH[7]}
db_password=$(printf '%b' "${db_password//%/\\x}")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
options="$work/client.cnf"
(
  umask 077
  printf '[client]\nuser=%s\npassword="%s"\nhost=%s\nport=%s\n' "$db_user" "${db_password//\"/\\\"}" "$db_host" "$db_port" >"$options"
)

backup() {
  [ -n "$out" ] || usage_error "backup needs --out DIR"
  [ -d "$data_dir" ] || fail "DATADIR $data_dir does not exist"
  local target
  target="$out/switchboard-$database-$(date -u +%Y%m%dT%H%M%SZ)"
  (umask 077 && mkdir -p "$target")
  echo "backing up database $database on $db_host:$db_port"
  mariadb-dump --defaults-extra-file="$options" --single-transaction --quick --routines --triggers --events \
    --hex-blob "$database" | gzip >"$target/database.sql.gz" || fail "mariadb-dump failed (see above)"
  echo "backing up DATADIR $data_dir"
  tar -czf "$target/datadir.tar.gz" -C "$data_dir" . || fail "tar of $data_dir failed"
  (cd "$target" && sha256sum database.sql.gz datadir.tar.gz >SHA256SUMS)
  chmod 0600 "$target"/*
  echo "$target"
}

restore() {
  [ -n "$from" ] || usage_error "restore needs --from BACKUP (a folder made by backup)"
  [ "$confirmed" = 1 ] ||
    usage_error "restore replaces database $database and $data_dir: stop the services, then run again with --yes"
  [ -f "$from/SHA256SUMS" ] || fail "$from is not a backup (no SHA256SUMS)"
  (cd "$from" && sha256sum --quiet --check SHA256SUMS) || fail "$from is damaged: SHA256SUMS does not match"
  echo "restoring database $database on $db_host:$db_port"
  mariadb --defaults-extra-file="$options" -e \
    "DROP DATABASE IF EXISTS \`$database\`; CREATE DATABASE \`$database\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci" ||
    fail "could not recreate database $database"
  gunzip -c "$from/database.sql.gz" | mariadb --defaults-extra-file="$options" "$database" ||
    fail "loading the dump failed: database $database is incomplete; run restore again"
  local aside
  aside="$data_dir.before-restore-$(date -u +%Y%m%dT%H%M%SZ)"
  echo "restoring DATADIR $data_dir (the current one moves to $aside)"
  if [ -d "$data_dir" ]; then mv "$data_dir" "$aside"; fi
  mkdir -p "$data_dir"
  tar -xzf "$from/datadir.tar.gz" -C "$data_dir" || fail "extracting DATADIR failed; the previous one is in $aside"
  if [ -d "$aside" ]; then chown --reference="$aside" "$data_dir" && chmod --reference="$aside" "$data_dir"; fi
  echo "restored from $from; start the services again"
}

"$command"
