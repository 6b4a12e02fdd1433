#!/usr/bin/env bash
# Stages this node's shard of a dataset onto local disk, then starts training: run it as the
# command of every node (rank) of a training job, with the training command as its arguments.
#   1. `ferry copy URL/* DIR --recursive --shard auto`: the node takes part RANK of WORLD_SIZE of
#      the dataset's files (split by bytes, the same on every node; every node lists on its own);
#   2. `ferry verify` of the shard's receipt against DIR (every file there, complete, CRC-64 read
#      back from the local disk);
#   3. `exec` of the training command, with FERRY_STAGE_DIR and FERRY_STAGE_RECEIPT exported.
# If staging or the check fails, training does not start and the script exits with ferry's code.
#
# Run it once per node, before the per-GPU launcher, with the node's rank as RANK:
#   RANK="$NODE_RANK" WORLD_SIZE="$NNODES" bash stage.sh torchrun --nnodes "$NNODES" … train.py
#   srun --ntasks-per-node=1 bash -c 'RANK=$SLURM_NODEID WORLD_SIZE=$SLURM_NNODES exec bash stage.sh torchrun …'
#
# Reads:
#   RANK, WORLD_SIZE      this node's rank and the node count (a per-GPU process's RANK would give
#                         every GPU its own part in one shared directory); ferry also understands
#                         SLURM_ARRAY_TASK_ID + SLURM_ARRAY_TASK_COUNT, or JOB_COMPLETION_INDEX with
#                         --shard-count in FERRY_COPY_FLAGS
#   FERRY_DATASET_URL     the dataset prefix: Azure (https://…, a SAS may follow) or s3://…
#                         (default: http://127.0.0.1:10000/devstoreaccount1/datasets/corpus, the emulator)
#   FERRY_STAGE_DIR       local directory the shard lands in; should be empty or hold only this shard
#                         (default: ${TMPDIR:-/tmp}/ferry-stage)
#   FERRY_STAGE_RECEIPT   the shard's receipt                 (default: FERRY_STAGE_DIR.receipt.jsonl)
#   FERRY_COPY_FLAGS      more `ferry copy` flags, split on spaces, e.g. "--concurrency 64"
#   FERRY_BIN             the ferry binary                    (default: ferry on PATH)
#   FERRY_HOME            ferry's job manifests               (ferry's default: ~/.ferry)
#   credentials, read by ferry itself: AZURE_STORAGE_CONNECTION_STRING, AZURE_STORAGE_ACCOUNT +
#   AZURE_STORAGE_KEY, Entra ID (AZURE_CLIENT_ID, AZURE_FEDERATED_TOKEN_FILE, IDENTITY_ENDPOINT, …);
#   for s3://, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT_URL_S3
set -euo pipefail

if (($# == 0)); then
    printf 'usage: stage.sh TRAINING_COMMAND [ARGUMENT…]\n' >&2
    exit 64
fi

ferry="${FERRY_BIN:-ferry}"
url="${FERRY_DATASET_URL:-http://127.0.0.1:10000/devstoreaccount1/datasets/corpus}"
stage_dir="${FERRY_STAGE_DIR:-${TMPDIR:-/tmp}/ferry-stage}"
receipt="${FERRY_STAGE_RECEIPT:-$stage_dir.receipt.jsonl}"
read -r -a copy_flags <<<"${FERRY_COPY_FLAGS:-}"

say() { printf 'stage.sh[rank %s]: %s\n' "${RANK:-?}" "$*" >&2; }

# The prefix's contents: URL/* (before a SAS query string, if the URL carries one).
prefix="${url%%\?*}"
contents="$prefix/*${url#"$prefix"}"
mkdir -p "$stage_dir"
say "staging my shard of $prefix into $stage_dir"
"$ferry" copy "$contents" "$stage_dir" --recursive --shard auto --receipt "$receipt" "${copy_flags[@]}"

say "checking $stage_dir against $receipt"
"$ferry" verify "$receipt" "$stage_dir"

export FERRY_STAGE_DIR="$stage_dir" FERRY_STAGE_RECEIPT="$receipt"
say "staged $(tail -n 1 "$receipt"); starting: $*"
exec "$@"
