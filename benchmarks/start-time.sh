#!/usr/bin/env bash
# Start time side by side (docs/benchmarks.md, "Start time"): starts each given distribution in turn, ROUNDS times
# (5 unless told), each on a new data directory, and prints the milliseconds from `java -jar` until /health/ready
# answers 200, then the mean per distribution. Each starts as ./ensign run starts it (with its class-data archive,
# lib/ensign.jsa, when it has one).
#   benchmarks/start-time.sh /tmp/before/distribution/target/ensign distribution/target/ensign
set -euo pipefail
(($# > 0)) || { echo "usage: $0 DISTRIBUTION..." >&2; exit 2; }
rounds=${ROUNDS:-5}
declare -A total
for round in $(seq 1 "$rounds"); do
  for dist in "$@"; do
    data=$(mktemp -d)
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    start=$(date +%s%N)
    # As ./ensign run starts it: with the distribution's class-data archive when it has one.
    archive=()
    if [[ -f "$dist/lib/ensign.jsa" ]]; then
      archive=(-XX:SharedArchiveFile="$dist/lib/ensign.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off)
    fi
    ENSIGN_ADMIN_TOKEN=start-time java "${archive[@]}" -jar "$dist/lib/ensign-launcher.jar" --port "$port" --host 127.0.0.1 \
      --data "$data" > "$data.log" 2>&1 &
    pid=$!
    until [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready") == 200 ]]; do
      kill -0 "$pid" 2>/dev/null || { echo "$dist did not start; log in $data.log" >&2; exit 1; }
      sleep 0.05
    done
    millis=$(( ($(date +%s%N) - start) / 1000000 ))
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    rm -rf "$data" "$data.log"
    total[$dist]=$(( ${total[$dist]:-0} + millis ))
    echo "round $round: $dist ready in $millis ms"
  done
done
for dist in "$@"; do
  echo "mean: $dist $(( total[$dist] / rounds )) ms"
done
