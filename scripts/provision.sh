#!/usr/bin/env bash
# Provisions what the tests need that npm does not bring: MariaDB running, the Hazelcast member jar,
# HAProxy, Chromium, shellcheck and systemd-analyze. Idempotent: each step checks first and does nothing when already done.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/provision.sh [--help]

Makes this machine ready for `npm test` (and `npm run cluster`):
  1. MariaDB answering on 127.0.0.1:3306 (started with start-stop-daemon if it is down)
  2. the Hazelcast member jar from Maven Central, under .cache/hazelcast/
  3. HAProxy (Debian package `haproxy`)
  4. Chromium (Debian package `chromium`) for the browser tests
  5. shellcheck (Debian package `shellcheck`) and systemd-analyze (Debian package `systemd`), for
     the deploy tests (every shell script passes shellcheck; the units pass systemd-analyze verify)
  6. OpenLDAP's slapd and the LDAP tools (Debian packages `slapd`, `ldap-utils`) for the LDAP log-in
     tests; they run their own slapd on a loopback port, so the Debian service is stopped if this
     step started it
Each step is skipped when already done. Needs root (or sudo) only to install missing packages.

Environment:
  SWITCHBOARD_SKIP_APT=1   never call apt-get (fail with a message if a package is missing)
USAGE
}

case "${1:-}" in
  -h | --help) usage; exit 0 ;;
  "") ;;
  *) echo "provision: unknown argument '$1' (try --help)" >&2; exit 2 ;;
esac

cd "$(dirname "$0")/.."
step() { printf '\n[provision] %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "[provision] need root to run: $*" >&2; return 1
  fi
}

apt_updated=0
apt_install() {
  local package=$1
  if [ "${SWITCHBOARD_SKIP_APT:-0}" = 1 ]; then
    echo "[provision] '$package' is missing and SWITCHBOARD_SKIP_APT=1: install it with apt-get install $package" >&2
    return 1
  fi
  if [ "$apt_updated" = 0 ]; then
    as_root apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$package" >/dev/null
}

step "MariaDB on 127.0.0.1:3306"
if mysqladmin --host=127.0.0.1 --user=root --silent ping >/dev/null 2>&1; then
  echo "already running"
else
  echo "not answering: starting it"
  as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  for _ in $(seq 1 60); do
    mysqladmin --host=127.0.0.1 --user=root --silent ping >/dev/null 2>&1 && break
    sleep 1
  done
  mysqladmin --host=127.0.0.1 --user=root --silent ping >/dev/null 2>&1 ||
    { echo "[provision] MariaDB did not start within 60 s: see /var/log/mysql/error.log" >&2; exit 1; }
  echo "started"
fi

step "Hazelcast member jar"
bash scripts/hazelcast.sh fetch

# sed, not head: head exits after one line and haproxy may die of SIGPIPE, which pipefail turns into a failure.
step "HAProxy"
if command -v haproxy >/dev/null; then haproxy -v | sed -n 1p; else apt_install haproxy && haproxy -v | sed -n 1p; fi

step "Chromium"
if [ -x /usr/bin/chromium ]; then echo "present: /usr/bin/chromium"; else apt_install chromium && echo "installed /usr/bin/chromium"; fi

step "shellcheck and systemd-analyze (deploy tests)"
if command -v shellcheck >/dev/null; then echo "present: shellcheck $(shellcheck --version | sed -n 2p)"; else
  apt_install shellcheck && echo "installed shellcheck"
fi
if command -v systemd-analyze >/dev/null; then echo "present: $(command -v systemd-analyze)"; else
  apt_install systemd && echo "installed systemd-analyze"
fi

step "OpenLDAP slapd and ldap-utils (LDAP log-in tests)"
if [ -x /usr/sbin/slapd ] && command -v ldapsearch >/dev/null; then echo "present: $(/usr/sbin/slapd -VV 2>&1 | sed -n 1p)"; else
  # The tests start their own slapd (libs/identity/src/testing/slapd.ts): the package's service is not needed.
  apt_install slapd && apt_install ldap-utils && echo "installed slapd and ldap-utils"
  if pgrep -x slapd >/dev/null; then as_root invoke-rc.d slapd stop >/dev/null 2>&1 || true; fi
fi

step "ready"
