#!/usr/bin/env bash
# Keeps package-lock.json installable with `npm ci` on every platform (Linux, macOS, Windows; x64, arm64).
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: bash scripts/lockfile.sh check | fix | --help

  check   Fails when `npm ci` would refuse package-lock.json on a fresh clone (it must list every
          platform's optional packages, e.g. @swc/core-darwin-arm64, not only this machine's).
          Runs `npm ci --dry-run` on a copy of package.json and the lock: changes nothing here.
  fix     Completes the lock: `npm install --package-lock-only` on a copy without node_modules, then
          writes the result back to package-lock.json (review it with git diff).

Why: npm drops other platforms' optional packages from the lock when it is rewritten next to an
existing node_modules (npm/cli#4828); `npm ci` then refuses the lock on every machine.
Exit codes: 0 ok, 1 the lock is incomplete or npm failed, 2 usage error.
USAGE
}

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cp "$root/package.json" "$root/package-lock.json" "$scratch/"

case "${1:-}" in
  check)
    if ! (cd "$scratch" && npm ci --dry-run --ignore-scripts --no-audit --no-fund >npm.log 2>&1); then
      grep -m 10 'Missing:\|error' "$scratch/npm.log" >&2 || true
      echo "lockfile: npm ci refuses package-lock.json; run 'bash scripts/lockfile.sh fix' and commit the lock" >&2
      exit 1
    fi
    echo "lockfile: package-lock.json is complete (npm ci accepts it)"
    ;;
  fix)
    (cd "$scratch" && npm install --package-lock-only --ignore-scripts --no-audit --no-fund) ||
      { echo "lockfile: npm install --package-lock-only failed (see above)" >&2; exit 1; }
    cp "$scratch/package-lock.json" "$root/package-lock.json"
    echo "lockfile: package-lock.json rewritten; check it with 'bash scripts/lockfile.sh check' and git diff"
    ;;
  -h | --help | help) usage ;;
  *) echo "lockfile: expected 'check' or 'fix' (try --help)" >&2; exit 2 ;;
esac
