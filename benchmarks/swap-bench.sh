#!/usr/bin/env bash
# What a plugin swap costs in evaluation latency over HTTP (docs/benchmarks.md, "Plugin swap").
#
# Builds the example operator ip_in_cidr (examples/custom-operator) and a version 2.0.0 of it that behaves
# differently (a copy of the project in which an address matches when it is *outside* the blocks), starts a server
# from a copy of the built distribution on a free port with its own data and deploy directories, installs v1,
# creates a flag whose rule uses ip_in_cidr, and runs the SwapLatency driver: WARMUP seconds of load that are not
# reported (server and driver start cold), then DURATION measured seconds; SWAP_AT seconds into those it replaces the
# bundle in place with PUT /api/v1/bundles/{name}. The driver prints p50/p99/max per second,
# and the steady state against the swap window.
#
# Needs a built server (./ensign build) and Maven with the local repository filled by that build.
#   benchmarks/swap-bench.sh            # THREADS=8 WARMUP=15 DURATION=20 SWAP_AT=10
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dist="$root/distribution/target/ensign"
threads=${THREADS:-8}
warmup=${WARMUP:-15}
duration=${DURATION:-20}
swap_at=${SWAP_AT:-10}
name=ensign-example-custom-operator
token=bench-admin-token

[[ -x "$(command -v java)" && -x "$(command -v mvn)" && -x "$(command -v curl)" ]] || {
  echo "swap-bench: java, mvn and curl are needed" >&2; exit 1; }
[[ -f "$dist/lib/ensign-launcher.jar" ]] || { echo "swap-bench: no server at $dist; run ./ensign build" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/ensign-swap-bench.XXXXXX")
server=
cleanup() {
  if [[ -n "$server" ]]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
}
trap cleanup EXIT
echo "swap-bench: working in $work" >&2

# The two plugin versions, built outside the source tree; v2 differs in its version and in one negation.
cp -r "$root/examples/custom-operator" "$work/v1"
cp -r "$root/examples/custom-operator" "$work/v2"
rm -rf "$work/v1/target" "$work/v2/target"
sed -i '0,/<version>1.0.0<\/version>/s//<version>2.0.0<\/version>/' "$work/v2/pom.xml"
operator="$work/v2/src/main/java/com/example/ensign/cidr/IpInCidrOperator.java"
sed -i -e 's/VERSION + "=1.0.0"/VERSION + "=2.0.0"/' -e 's/if (block.contains(address))/if (!block.contains(address))/' \
  "$operator"
grep -q '!block.contains(address)' "$operator" || { echo "swap-bench: could not derive v2" >&2; exit 1; }
mvn -q -o -DskipTests -f "$work/v1/pom.xml" package
mvn -q -o -DskipTests -f "$work/v2/pom.xml" package
v1="$work/v1/target/$name-1.0.0.jar"
v2="$work/v2/target/$name-2.0.0.jar"

# The driver is one class of the JDK's API alone.
javac --release 17 -d "$work/driver" "$root/benchmarks/src/main/java/io/ensign/benchmarks/SwapLatency.java"

# A server of its own: the distribution copied (so its deploy/ is ours), a fresh data directory, a free port.
cp -r "$dist" "$work/home"
find "$work/home/deploy" -name '*.jar' -delete
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
ENSIGN_ADMIN_TOKEN=$token java ${JAVA_OPTS:-} -jar "$work/home/lib/ensign-launcher.jar" --port "$port" \
  --host 127.0.0.1 --data "$work/data" >"$work/server.log" 2>&1 </dev/null &
server=$!
for _ in $(seq 1 120); do
  [[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/health/ready")" == 200 ]] && break
  sleep 0.5
done
[[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/health/ready")" == 200 ]] || {
  echo "swap-bench: the server did not get ready; see $work/server.log" >&2; exit 1; }

auth=(-H "Authorization: Bearer $token")
curl -sf "${auth[@]}" -H 'Content-Type: application/java-archive' --data-binary @"$v1" "$base/api/v1/bundles" >/dev/null
curl -sf "${auth[@]}" -H 'Content-Type: application/json' -X PUT "$base/api/v1/flags/bench-cidr" -d '{"type":"boolean",
  "variants":{"on":true,"off":false},"defaultVariant":"off",
  "rules":[{"conditions":[{"attribute":"ip","operator":"ip_in_cidr","values":["10.0.0.0/8"]}],"variant":"on"}]}' \
  >/dev/null

marks="$work/marks"
java -cp "$work/driver" io.ensign.benchmarks.SwapLatency "$base/ofrep/v1/evaluate/flags/bench-cidr" "$token" \
  '{"context":{"targetingKey":"u1","ip":"10.1.2.3"}}' "$threads" "$warmup" "$duration" "$marks" &
driver=$!
sleep $((warmup + swap_at))
echo "start $(date +%s%3N)" >"$marks"
status=$(curl -s -o "$work/swap.json" -w '%{http_code}' "${auth[@]}" -H 'Content-Type: application/java-archive' \
  -X PUT --data-binary @"$v2" "$base/api/v1/bundles/$name")
echo "end $(date +%s%3N)" >>"$marks"
echo "swap-bench: PUT v2 -> $status $(cat "$work/swap.json")" >&2
wait "$driver"
