import ArgumentParser
import Foundation
import FerryKit

/// `--shard I/N|auto` and `--shard-count N` (`ferry copy`, `sync`, `ls`, `receipt`, `verify`):
/// take one part of a job split N ways, the same split on every worker.
struct ShardOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Take part I of N (I from 0) of the files, split by bytes the same way on every worker: largest first onto the lightest part. 'auto' reads SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT (a Slurm array), JOB_COMPLETION_INDEX (a Kubernetes Indexed Job; add --shard-count) or RANK/WORLD_SIZE (default: all files).",
        valueName: "I/N|auto"))
    var shard: String?

    @Option(name: .customLong("shard-count"),
            help: ArgumentHelp("How many parts --shard auto splits into, when the environment does not say (a Kubernetes Indexed Job's completions).",
                               valueName: "N"))
    var shardCount: Int?

    func validate() throws {
        if shardCount != nil && shard != "auto" { throw ValidationError("--shard-count goes with --shard auto") }
        if let shardCount, shardCount < 1 { throw ValidationError("--shard-count must be at least 1") }
    }

    /// The shard this worker takes (nil: no `--shard`). For `auto`, prints which variables said so
    /// on stderr (`ferry: shard 1/4 (from SLURM_ARRAY_TASK_ID=1, SLURM_ARRAY_TASK_COUNT=4)`).
    func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ShardSpec? {
        guard let shard else { return nil }
        guard shard == "auto" else { return try ShardSpec(parsing: shard) }
        let found = try ShardFromEnvironment.read(environment, explicitCount: shardCount)
        FileHandle.standardError.write(Data("ferry: shard \(found.spec) (from \(found.origin))\n".utf8))
        return found.spec
    }
}
