#!/usr/bin/env bash
# Runs one step of your CI — the command given as this script's arguments — against a throwaway
# local Azure Blob service, with no cloud account: starts ferry-emulator on a free port in a
# temporary folder, creates the container(s), exports the endpoint and a connection string, runs
# the step, and on exit, whatever happened (the step failed, Ctrl-C, SIGTERM), stops the emulator
# and deletes its folder. Exits with the step's exit code (1 if the emulator could not be set up).
#
#   bash Examples/local-emulator-ci/ci.sh pytest tests/integration
#   bash Examples/local-emulator-ci/ci.sh bash -c 'ferry copy ./fixtures "$FERRY_CI_CONTAINER_URL" -r'
#
# Reads:
#   FERRY_EMULATOR_BIN    the ferry-emulator binary           (default: ferry-emulator on PATH)
#   FERRY_CI_CONTAINERS   containers to create, space separated (default: datasets)
#   FERRY_CI_KEEP         1: keep the emulator's folder (its blobs and log) after the step, and say where
#   TMPDIR                where the temporary folder is made  (default: /tmp)
# Exports to the step:
#   AZURE_STORAGE_CONNECTION_STRING  the emulator account's connection string (Shared Key), which
#                                    ferry, the Azure SDKs and the az CLI read
#   FERRY_EMULATOR_URL               http://127.0.0.1:PORT/devstoreaccount1 (the account endpoint)
#   FERRY_CI_CONTAINER_URL           FERRY_EMULATOR_URL/<the first container>
#   FERRY_EMULATOR_PID               the emulator's process ID
#   FERRY_HOME                       a folder in the temporary folder (the step's ferry jobs)
set -euo pipefail

if (($# == 0)); then
    printf 'usage: ci.sh COMMAND [ARGUMENT…]  (the CI step to run against the emulator)\n' >&2
    exit 64
fi

emulator_bin="${FERRY_EMULATOR_BIN:-ferry-emulator}"
read -r -a containers <<<"${FERRY_CI_CONTAINERS:-datasets}"
account=devstoreaccount1
# The emulator's well-known development key (public, as Azurite's): fine for a throwaway service.
account_key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

say() { printf 'ci.sh: %s\n' "$*" >&2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/ferry-ci.XXXXXX")"
emulator_pid=""
# shellcheck disable=SC2329  # run by the EXIT trap below
stop_emulator() {
    local code=$?
    if [[ -n "$emulator_pid" ]] && kill -0 "$emulator_pid" 2>/dev/null; then
        kill -TERM "$emulator_pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$emulator_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$emulator_pid" 2>/dev/null || true
        wait "$emulator_pid" 2>/dev/null || true
    fi
    if [[ "${FERRY_CI_KEEP:-0}" == 1 ]]; then
        say "kept the emulator's folder: $work"
    else
        rm -rf "$work"
    fi
    exit "$code"
}
trap stop_emulator EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A random bearer token, accepted only by this emulator: it creates the containers below.
token="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
# Made before the start: the background emulator opens them only after the loop below may read.
: >"$work/emulator.out"
: >"$work/emulator.err"
"$emulator_bin" --port 0 --location "$work/blobs" --bearer-token "$token" \
    >"$work/emulator.out" 2>"$work/emulator.err" </dev/null &
emulator_pid=$!
port=""
for _ in $(seq 1 300); do
    port="$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$work/emulator.out" | head -n 1)"
    [[ -n "$port" ]] && break
    if ! kill -0 "$emulator_pid" 2>/dev/null; then
        say "ferry-emulator exited at start:"
        cat "$work/emulator.err" >&2
        exit 1
    fi
    sleep 0.1
done
if [[ -z "$port" ]]; then
    say "ferry-emulator did not start within 30 s"
    exit 1
fi
endpoint="http://127.0.0.1:$port/$account"

# Create the containers over plain REST, signed in with the bearer token given at start (no SDK
# needed). Any client does it too, e.g. `az storage container create --connection-string …`.
for container in "${containers[@]}"; do
    status="$(curl -sS -o "$work/create.out" -w '%{http_code}' -X PUT \
        -H "Authorization: Bearer $token" -H 'x-ms-version: 2021-08-06' -H 'Content-Length: 0' \
        "$endpoint/$container?restype=container")"
    if [[ "$status" != 201 ]]; then
        say "creating container '$container' answered $status: $(cat "$work/create.out")"
        exit 1
    fi
done
say "ferry-emulator at $endpoint (containers: ${containers[*]})"

export AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=$account;AccountKey=$account_key;BlobEndpoint=$endpoint;"
export FERRY_EMULATOR_URL="$endpoint"
export FERRY_CI_CONTAINER_URL="$endpoint/${containers[0]}"
export FERRY_EMULATOR_PID="$emulator_pid"
export FERRY_HOME="$work/ferry-home"

say "running: $*"
set +e
"$@"
step_code=$?
set -e
if ((step_code != 0)); then
    say "the step failed with exit code $step_code; emulator log tail:"
    tail -n 20 "$work/emulator.err" >&2 || true
fi
exit "$step_code"
