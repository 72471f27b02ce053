#!/usr/bin/env bash
# The whole test suite from a clean checkout: installs what the tests need, starts the servers they use on
# 127.0.0.1, runs every test project, and ends with one summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v kcat >/dev/null 2>&1 || missing+=(kcat)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} (Debian packages)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ -f tests/tools/package.json ]; then
  echo "Installing test tools (npm)"
  (cd tests/tools && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

work=$(mktemp -d)
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  # The servers write their data directories until they have exited: wait for them, so removing those cannot race a
  # last write (and turn a green run red).
  for pid in "${pids[@]:-}"; do [ -n "$pid" ] && wait "$pid" 2>/dev/null || true; done
  rm -rf "$work" 2>/dev/null || { sleep 1; rm -rf "$work" || true; }
  exit "$status"
}
trap cleanup EXIT

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

if [ -x tests/tools/node_modules/.bin/azurite ]; then
  blob_port=$(free_port); queue_port=$(free_port); table_port=$(free_port)
  tests/tools/node_modules/.bin/azurite --silent --disableTelemetry --skipApiVersionCheck --location "$work/azurite" \
    --blobHost 127.0.0.1 --blobPort "$blob_port" --queueHost 127.0.0.1 --queuePort "$queue_port" \
    --tableHost 127.0.0.1 --tablePort "$table_port" >"$work/azurite.log" 2>&1 &
  pids+=($!)
  for port in "$blob_port" "$table_port"; do
    for _ in $(seq 1 100); do
      (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
      sleep 0.1
    done
  done
  key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
  # Blob for the lake and grain state, Table for membership and stream checkpoints (Profile=azure).
  export HC_TEST_AZURITE_CONNECTION="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table_port/devstoreaccount1;"
fi

echo "Building"
dotnet build HealthcareOrleans.sln -c Release -nologo -v q 2>&1 | tail -n 3

status=0
dotnet test HealthcareOrleans.sln -c Release --no-build -nologo --logger "console;verbosity=minimal" 2>&1 | tee "$work/test.log" || status=$?

# One closing line for whoever reads the log: the sum over every test project.
awk '/(Passed|Failed)! +- +Failed:/ {
       gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$work/test.log"
exit $status
