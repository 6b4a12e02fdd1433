#!/usr/bin/env bash
# Installs a prebuilt ferry on a CI runner: fetches a .tar.gz of the PREFIX that Ferry's
# `scripts/install PREFIX` fills (bin/ferry with the Swift runtime linked in, made with
# `tar -czf ferry.tar.gz -C PREFIX .`), unpacks it and puts its bin/ on the job's PATH.
#
# Reads:
#   FERRY_TARBALL_URL   where the tarball is (https://…, or file:///… on a self-hosted runner); required
#   FERRY_PREFIX        where it is unpacked                   (default: $RUNNER_TEMP/ferry, else /tmp/ferry)
#   GITHUB_PATH         set by GitHub Actions: bin/ is appended to it for the next steps
set -euo pipefail

url="${FERRY_TARBALL_URL:-}"
prefix="${FERRY_PREFIX:-${RUNNER_TEMP:-/tmp}/ferry}"
if [[ -z "$url" ]]; then
    printf 'install-ferry.sh: set FERRY_TARBALL_URL (the repository variable of the same name)\n' >&2
    exit 64
fi

mkdir -p "$prefix"
curl -fsSL --retry 3 "$url" | tar -xz -C "$prefix"
"$prefix/bin/ferry" --version
if [[ -n "${GITHUB_PATH:-}" ]]; then
    printf '%s\n' "$prefix/bin" >>"$GITHUB_PATH"
fi
