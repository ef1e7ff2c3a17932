#!/usr/bin/env bash
# What serving the SDK sync document to a fleet costs (docs/benchmarks.md, "Sync document"): a server of its own
# with FLAGS flags of realistic shape (conditions, a segment, a rollout, an environment override), then wrk in the
# same run against GET /api/v1/flags (the closest route before the sync document; the baseline) and GET
# /api/v1/sync plain, gzipped and revalidated with If-None-Match (304), each for DURATION seconds after a warm-up.
#
# Needs a built server (./ensign build), curl and wrk (Debian's package).
#   benchmarks/sync-bench.sh            # FLAGS=350 CONNECTIONS=64 DURATION=15
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dist="$root/distribution/target/ensign"
flags=${FLAGS:-350}
connections=${CONNECTIONS:-64}
duration=${DURATION:-15}
token=bench-admin-token

for tool in java curl wrk python3; do
  command -v "$tool" >/dev/null || { echo "sync-bench: $tool is needed" >&2; exit 1; }
done
[[ -f "$dist/lib/ensign-launcher.jar" ]] || { echo "sync-bench: no server at $dist; run ./ensign build" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/ensign-sync-bench.XXXXXX")
server=
cleanup() {
  if [[ -n "$server" ]]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
archive=()
[[ -f "$dist/lib/ensign.jsa" ]] && archive=("-XX:SharedArchiveFile=$dist/lib/ensign.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off)
ENSIGN_ADMIN_TOKEN=$token java "${archive[@]}" -jar "$dist/lib/ensign-launcher.jar" --port "$port" --host 127.0.0.1 \
  --data "$work/data" > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 600); do
  [[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/health/ready")" == 200 ]] && break
  sleep 0.2
done

api() {
  curl -sf -X "$1" "$base$2" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' ${3:+-d "$3"}
}
api PUT /api/v1/segments/bench-beta '{"included":["u1","u2"],"conditions":[{"attribute":"plan","operator":"in","values":["pro","team"]}]}' >/dev/null
for i in $(seq 1 "$flags"); do
  api PUT "/api/v1/flags/bench-$i" '{"type":"string","description":"benchmark flag '"$i"'",
    "variants":{"control":"blue","treatment":"green","off":"grey"},"defaultVariant":"off",
    "rules":[{"name":"beta","segment":"bench-beta","variant":"treatment"},
             {"conditions":[{"attribute":"country","operator":"in","values":["NL","DE","BE"]},
                            {"attribute":"version","operator":"semver_gt","values":["2.1.0"]}],
              "rollout":{"weights":{"control":50,"treatment":50}}}],
    "environments":{"staging":{"defaultVariant":"control"}}}' >/dev/null
done
sdk=$(api POST /api/v1/tokens '{"name":"bench","role":"sdk","environment":"production"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
etag=$(curl -s -D - -o /dev/null "$base/api/v1/sync" -H "Authorization: Bearer $sdk" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p')

echo "sync-bench: $flags flags; /api/v1/flags $(api GET /api/v1/flags | wc -c) bytes;" \
  "/api/v1/sync $(curl -s "$base/api/v1/sync" -H "Authorization: Bearer $sdk" | wc -c) bytes," \
  "gzipped $(curl -s "$base/api/v1/sync" -H "Authorization: Bearer $sdk" -H 'Accept-Encoding: gzip' | wc -c) bytes"

run() {
  local label=$1; shift
  wrk -t2 -c"$connections" -d5s "$@" >/dev/null # warm-up
  echo "== $label"
  wrk -t2 -c"$connections" -d"${duration}s" --latency "$@" | grep -E 'Requests/sec|Transfer/sec|^ +(50|99)%'
}
run "GET /api/v1/flags (admin token; baseline)" -H "Authorization: Bearer $token" "$base/api/v1/flags"
run "GET /api/v1/sync" -H "Authorization: Bearer $sdk" "$base/api/v1/sync"
run "GET /api/v1/sync, Accept-Encoding: gzip" -H "Authorization: Bearer $sdk" -H 'Accept-Encoding: gzip' "$base/api/v1/sync"
run "GET /api/v1/sync, If-None-Match (304)" -H "Authorization: Bearer $sdk" -H "If-None-Match: $etag" "$base/api/v1/sync"
