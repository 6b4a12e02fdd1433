import ArgumentParser

/// Where a job's receipt goes besides the job folder (`copy`, `sync`). Every completed job writes
/// `$FERRY_HOME/jobs/<job-id>.receipt.jsonl`; `--receipt FILE` writes the same receipt to FILE too.
struct ReceiptOptions: ParsableArguments {
    @Option(name: .customLong("receipt"),
            help: ArgumentHelp("Also write the job's receipt (JSON Lines: path, size, CRC-64 per file, then a root hash) to "
                               + "this file when the job completes (default: only $FERRY_HOME/jobs/<job-id>.receipt.jsonl).",
                               valueName: "file"))
    var receiptFile: String?
}
