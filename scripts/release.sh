#!/usr/bin/env bash
# Builds the release tarball servers install from (`npm run release`): no compiler, no npm registry
# and no Maven needed on the servers.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: npm run release [-- --out DIR] [--no-build] [--help]     (or: bash scripts/release.sh ...)

Writes DIR/switchboard-<version>.tar.gz (default DIR: .cache/release), whose one folder
switchboard-<version>/ holds: dist/ (npm run build), the production node_modules (npm prune --omit=dev
of this checkout's, built for this platform: build on the OS and CPU the servers run), the Hazelcast
jar (.cache/hazelcast/), scripts/, deploy/, haproxy/, hazelcast/, docs/, tools/register-aliases.js,
package.json, package-lock.json and RELEASE (version and commit).
On a server: tar -xzf switchboard-<version>.tar.gz && sudo switchboard-<version>/deploy/install.sh --help
  --out DIR      where the tarball goes
  --no-build     use the dist/ already built
Exit codes: 0 ok, 1 failure, 2 usage error.
USAGE
}

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/.cache/release"
build=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) out="${2:?--out needs a folder}"; shift 2 ;;
    --no-build) build=0; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "release: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
cd "$root"
[[ -d node_modules ]] || { echo "release: no node_modules here: run 'npm ci' first" >&2; exit 1; }
version="$(node -p 'require("./package.json").version')"
name="switchboard-$version"
[[ $build == 0 ]] || npm run build --silent
[[ -f dist/apps/client-messenger/src/main.js ]] || { echo "release: no build under dist/: run without --no-build" >&2; exit 1; }
bash scripts/hazelcast.sh fetch >/dev/null

mkdir -p "$out"
out="$(cd "$out" && pwd)"
# Staged next to node_modules, so that the copy is hard links (fast, no space) before the prune.
staging="$root/.cache/release-staging"
rm -rf "$staging"
trap 'rm -rf "$staging"' EXIT
mkdir -p "$staging/$name/tools" "$staging/$name/.cache"
cp -a dist scripts deploy haproxy hazelcast docs package.json package-lock.json README.md "$staging/$name/"
cp -a tools/register-aliases.js "$staging/$name/tools/"
cp -a .cache/hazelcast "$staging/$name/.cache/"
rm -rf "$staging/$name/.cache/hazelcast/run"
cp -al node_modules "$staging/$name/"
(cd "$staging/$name" && npm prune --omit=dev --ignore-scripts --offline --no-audit --no-fund >/dev/null)
printf '%s %s\n' "$version" "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" >"$staging/$name/RELEASE"
tar -czf "$out/$name.tar.gz" -C "$staging" "$name"
echo "release: $out/$name.tar.gz"
