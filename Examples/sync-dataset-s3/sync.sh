#!/usr/bin/env bash
# Keeps an S3 prefix a mirror of a local dataset directory: first `ferry sync --dry-run` prints
# every copy and delete it would make, then the same `ferry sync` makes them (only new or changed
# files move; objects the directory no longer has are deleted, but never more than
# FERRY_MAX_DELETE), then `ferry verify` checks the prefix against the sync's receipt.
# Exits with ferry's exit code: 0 in sync, 4 when the delete limit stopped the sync (nothing was
# deleted), 1 some file failed, 3 credentials, 64 usage.
#
# Reads:
#   FERRY_SOURCE        the dataset directory                   (default: ./dataset)
#   FERRY_DEST          the S3 prefix that mirrors it           (default: s3://datasets/dataset)
#   FERRY_MAX_DELETE    most objects one sync may delete, N or N% (default: 5%)
#   FERRY_DRY_RUN_ONLY  1: stop after the dry run
#   FERRY_RECEIPT       where the receipt of the mirror is written (default: ./dataset.receipt.jsonl)
#   FERRY_SYNC_FLAGS    more `ferry sync` flags, split on spaces, e.g. "--compare-hash --exclude-pattern *.tmp"
#   FERRY_BIN           the ferry binary                        (default: ferry on PATH)
#   FERRY_HOME          where ferry keeps its job manifests     (ferry's default: ~/.ferry)
#   read by ferry itself: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (or ~/.aws profiles, AWS_PROFILE),
#   AWS_REGION, and AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL for an S3-compatible service
#   (SeaweedFS, MinIO, …; unset for AWS)
set -euo pipefail

ferry="${FERRY_BIN:-ferry}"
source_dir="${FERRY_SOURCE:-./dataset}"
dest="${FERRY_DEST:-s3://datasets/dataset}"
max_delete="${FERRY_MAX_DELETE:-5%}"
receipt="${FERRY_RECEIPT:-./dataset.receipt.jsonl}"
read -r -a extra_flags <<<"${FERRY_SYNC_FLAGS:-}"

# Printed without its query string: a SAS in the URL never reaches the log.
shown_dest="${dest%%\?*}"
say() { printf 'sync.sh: %s\n' "$*" >&2; }

if [[ ! -d "$source_dir" ]]; then
    say "FERRY_SOURCE '$source_dir' is not a directory"
    exit 64
fi

sync_flags=(--delete-destination true --max-delete "$max_delete" "${extra_flags[@]}")

say "what a sync of $source_dir to $shown_dest would do:"
"$ferry" sync "$source_dir" "$dest" "${sync_flags[@]}" --dry-run
if [[ "${FERRY_DRY_RUN_ONLY:-0}" == 1 ]]; then
    say "FERRY_DRY_RUN_ONLY=1: nothing changed"
    exit 0
fi

say "syncing"
"$ferry" sync "$source_dir" "$dest" "${sync_flags[@]}" --receipt "$receipt"

say "verifying $shown_dest against $receipt"
"$ferry" verify "$receipt" "$dest"
say "in sync: $(tail -n 1 "$receipt")"
