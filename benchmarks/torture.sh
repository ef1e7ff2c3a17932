#!/usr/bin/env bash
# The crash torture's long run (docs/benchmarks.md, "Crash torture"): io.ensign.itests.CrashTorture, the harness
# CrashTortureIT runs for 20 rounds in the build, here for 1000 rounds unless told otherwise. Each round writes from
# 4 threads for 0.3-2 s, kills the server with SIGKILL, restarts it on the same data and checks that nothing
# acknowledged is lost; it prints the seed, a line per round and the figures, and exits 1 when anything was found.
#
# Needs a built server (./ensign build) and the local Maven repository that build filled.
#   benchmarks/torture.sh                          # 1000 rounds, a random seed
#   benchmarks/torture.sh --rounds 50 --seed 42    # also --min-load-ms, --max-load-ms, --verify-every N, --work DIR
#   BUSY=2 benchmarks/torture.sh                   # with 2 busy loops (one per core): a loaded machine
# MVN_ARGS is passed to mvn, e.g. MVN_ARGS="-o -Dmaven.repo.local=$HOME/m2".
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dist="$root/distribution/target/ensign"
[[ -f "$dist/lib/ensign-launcher.jar" ]] || { echo "torture: no server at $dist; run ./ensign build" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/ensign-torture.XXXXXX")
busy=()
cleanup() {
  for pid in "${busy[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

# The harness lives in the itests' test classes (it drives ServerProcess, the ITs' one way to run the server).
# shellcheck disable=SC2086
mvn -q -B ${MVN_ARGS:-} -f "$root/itests/pom.xml" test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$work/classpath" >&2

for _ in $(seq 1 "${BUSY:-0}"); do
  (while :; do :; done) &
  busy+=($!)
done

java -Densign.distribution="$dist" -cp "$root/itests/target/test-classes:$(cat "$work/classpath")" \
  io.ensign.itests.CrashTorture --work "$work" "$@"
