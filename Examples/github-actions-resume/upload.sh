#!/usr/bin/env bash
# Uploads a dataset directory in a CI job that may be cut off and run again:
#   - if FERRY_HOME (restored from the CI cache) holds a job that did not complete, it is finished
#     with `ferry jobs resume ID`: only blocks its manifest does not record as acknowledged are sent;
#   - otherwise `ferry copy DIR/* DEST --recursive`: on a fresh runner after a lost one (no
#     FERRY_HOME left) this same command asks the service which blocks it already holds and
#     reuses every one whose bytes still match, so the re-run sends only the rest;
# then `ferry verify` checks the destination against the job's receipt. Exits with ferry's exit
# code (0 done and verified, 1 some file failed or differs, 2 cancelled and resumable, 3 credentials).
#
# Reads:
#   FERRY_SOURCE        the dataset directory                   (default: ./dataset)
#   FERRY_DEST          the prefix its contents land under, Azure (https://…, a SAS may follow) or s3://…
#                       (default: http://127.0.0.1:10000/devstoreaccount1/datasets/dataset, the emulator)
#   FERRY_HOME          ferry's job manifests; give this workflow a folder of its own, the one the CI
#                       cache saves and restores: every unfinished job in it is taken as this upload's
#                       (ferry's default: ~/.ferry)
#   FERRY_RECEIPT       where the receipt is written            (default: ./dataset.receipt.jsonl)
#   FERRY_COPY_FLAGS    more `ferry copy` flags, split on spaces, e.g. "--cap-mbps 800"
#   FERRY_BIN           the ferry binary                        (default: ferry on PATH)
#   credentials, read by ferry itself: AZURE_STORAGE_CONNECTION_STRING (or a SAS in FERRY_DEST,
#   AZURE_STORAGE_ACCOUNT + AZURE_STORAGE_KEY, Entra ID: AZURE_TENANT_ID, AZURE_CLIENT_ID,
#   AZURE_FEDERATED_TOKEN_FILE, …); for s3://, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
#   AWS_REGION and AWS_ENDPOINT_URL_S3
set -euo pipefail

ferry="${FERRY_BIN:-ferry}"
source_dir="${FERRY_SOURCE:-./dataset}"
dest="${FERRY_DEST:-http://127.0.0.1:10000/devstoreaccount1/datasets/dataset}"
receipt="${FERRY_RECEIPT:-./dataset.receipt.jsonl}"
read -r -a copy_flags <<<"${FERRY_COPY_FLAGS:-}"

# Printed without its query string: a SAS in the URL never reaches the log.
shown_dest="${dest%%\?*}"
say() { printf 'upload.sh: %s\n' "$*" >&2; }

if [[ ! -d "$source_dir" ]]; then
    say "FERRY_SOURCE '$source_dir' is not a directory"
    exit 64
fi

# `ferry jobs list --output-type json`: one JSON object per job, oldest first; take the newest
# whose state is not "completed" (interrupted, cancelled, failed).
unfinished="$("$ferry" jobs list --output-type json \
    | sed -n '/"state":"completed"/d; s/.*"jobId":"\([^"]*\)".*/\1/p' | tail -n 1)"

if [[ -n "$unfinished" ]]; then
    say "resuming job $unfinished from the restored FERRY_HOME"
    "$ferry" jobs resume "$unfinished"
    home="${FERRY_HOME:-$HOME/.ferry}"
    cp "$home/jobs/$unfinished.receipt.jsonl" "$receipt"
else
    say "copying $source_dir into $shown_dest (reusing what the service already holds)"
    "$ferry" copy "$source_dir/*" "$dest" --recursive --receipt "$receipt" "${copy_flags[@]}"
fi

say "verifying the destination against $receipt"
"$ferry" verify "$receipt" "$dest"
say "done: $(tail -n 1 "$receipt")"
