#!/usr/bin/env bash
# Uploads a training corpus (a local directory) to an Azure Blob prefix with one `ferry copy`,
# keeps the copy's receipt (path, size and CRC-64 of every file, and a root hash), then checks the
# prefix against that receipt with `ferry verify`. Exits with ferry's exit code: 0 when every file
# landed and matches (see the exit codes in Ferry's README).
#
# Reads:
#   FERRY_SOURCE        the corpus directory                    (default: ./corpus)
#   FERRY_DEST          the Azure prefix the corpus's contents land under, e.g.
#                       https://ACCOUNT.blob.core.windows.net/datasets/corpus-v2 (a SAS may follow)
#                       (default: http://127.0.0.1:10000/devstoreaccount1/datasets/corpus, the emulator)
#   FERRY_RECEIPT       where the receipt is written            (default: ./corpus.receipt.jsonl)
#   FERRY_COPY_FLAGS    more `ferry copy` flags, split on spaces, e.g. "--cap-mbps 800 --block-blob-tier cool"
#   FERRY_VERIFY_READ   1: `ferry verify --read` reads every blob back instead of trusting stored CRC-64s
#   FERRY_BIN           the ferry binary                        (default: ferry on PATH)
#   FERRY_HOME          where ferry keeps its job manifests     (ferry's default: ~/.ferry)
#   credentials, read by ferry itself: a SAS in FERRY_DEST, AZURE_STORAGE_CONNECTION_STRING,
#   AZURE_STORAGE_ACCOUNT + AZURE_STORAGE_KEY, or Microsoft Entra ID (AZURE_TENANT_ID, AZURE_CLIENT_ID, …)
set -euo pipefail

ferry="${FERRY_BIN:-ferry}"
source_dir="${FERRY_SOURCE:-./corpus}"
dest="${FERRY_DEST:-http://127.0.0.1:10000/devstoreaccount1/datasets/corpus}"
receipt="${FERRY_RECEIPT:-./corpus.receipt.jsonl}"
read -r -a copy_flags <<<"${FERRY_COPY_FLAGS:-}"
verify_flags=()
if [[ "${FERRY_VERIFY_READ:-0}" == 1 ]]; then verify_flags+=(--read); fi

say() { printf 'upload.sh: %s\n' "$*" >&2; }

if [[ ! -d "$source_dir" ]]; then
    say "FERRY_SOURCE '$source_dir' is not a directory"
    exit 64
fi

# `DIR/*` copies the directory's contents, so the receipt's paths are relative to FERRY_DEST and
# `ferry verify` checks that prefix alone (a sibling dataset would otherwise count as `extra`).
say "copying $source_dir into the destination prefix"
"$ferry" copy "$source_dir/*" "$dest" --recursive --receipt "$receipt" "${copy_flags[@]}"

say "verifying the destination against $receipt"
"$ferry" verify "$receipt" "$dest" "${verify_flags[@]}"
say "done: $(tail -n 1 "$receipt")"
