import Foundation

/// `--shard I/N`: this process takes part I (0-based) of a job split N ways. Every worker computes
/// the same split on its own from the same listing (`ShardAssignment`), so N processes started
/// by Slurm, Kubernetes or a CI matrix cover the source exactly once without talking to each
/// other. Value type; recorded in the job's options so a resumed shard stays the same shard.
public struct ShardSpec: Sendable, Hashable, Codable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) throws {
        guard count >= 1 else { throw FerryError(.usage, "a shard count must be at least 1 (got \(count))", disposition: .abortJob) }
        guard (0..<count).contains(index) else {
            throw FerryError(.usage, "shard \(index) is not one of 0…\(count - 1) (shards are numbered from 0)", disposition: .abortJob)
        }
        self.index = index
        self.count = count
    }

    /// `"I/N"`, e.g. `"2/4"`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw FerryError(.usage, "--shard '\(text)' is not I/N (e.g. 0/4 … 3/4) or auto", disposition: .abortJob)
        }
        try self.init(index: index, count: count)
    }

    public var description: String { "\(index)/\(count)" }

    /// Owner of a path that no source listing holds (a destination object a sync may delete, an
    /// extra object `verify` finds): a hash of its UTF-8 bytes, so exactly one shard owns it.
    /// FNV-1a, 64-bit: fixed across machines and Swift versions (Swift's `Hasher` is seeded per
    /// process).
    public func ownsUnlisted(path: String) -> Bool {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in path.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return Int(hash % UInt64(count)) == index
    }
}

/// `--shard auto`: the shard a job engine's variables name, and which variables said so.
public struct ShardFromEnvironment: Sendable, Equatable {
    public let spec: ShardSpec
    /// E.g. `SLURM_ARRAY_TASK_ID=1, SLURM_ARRAY_TASK_COUNT=4`, for the line Ferry prints.
    public let origin: String

    /// Reads, in order: a Slurm job array (`SLURM_ARRAY_TASK_ID` with `SLURM_ARRAY_TASK_COUNT`,
    /// or `_MIN`/`_MAX`, step 1), a Kubernetes Indexed Job (`JOB_COMPLETION_INDEX`; the count is
    /// not in its environment, so `--shard-count` gives it), a training launcher
    /// (`RANK`/`WORLD_SIZE`). `explicitCount` (`--shard-count`) overrides any count read.
    public static func read(_ environment: [String: String], explicitCount: Int?) throws -> ShardFromEnvironment {
        func integer(_ name: String) throws -> Int? {
            guard let text = environment[name], !text.isEmpty else { return nil }
            guard let value = Int(text) else {
                throw FerryError(.usage, "--shard auto: \(name)='\(text)' is not a whole number", disposition: .abortJob)
            }
            return value
        }
        func made(_ index: Int, _ count: Int?, _ origin: String) throws -> ShardFromEnvironment {
            let countOrigin = explicitCount != nil ? ", --shard-count \(explicitCount!)" : ""
            guard let count = explicitCount ?? count else {
                throw FerryError(.usage, "--shard auto: \(origin) gives this worker's index but not how many there are; "
                                 + "add --shard-count N", disposition: .abortJob)
            }
            return ShardFromEnvironment(spec: try ShardSpec(index: index, count: count), origin: origin + countOrigin)
        }
        if let task = try integer("SLURM_ARRAY_TASK_ID") {
            // `--array=1-8:2` numbers tasks 1,3,5,7: the shard is the task's place in that run.
            let minimum = try integer("SLURM_ARRAY_TASK_MIN") ?? 0
            let step = max(1, try integer("SLURM_ARRAY_TASK_STEP") ?? 1)
            var origin = "SLURM_ARRAY_TASK_ID=\(task)"
            if minimum != 0 { origin += ", SLURM_ARRAY_TASK_MIN=\(minimum)" }
            if step != 1 { origin += ", SLURM_ARRAY_TASK_STEP=\(step)" }
            var count = try integer("SLURM_ARRAY_TASK_COUNT")
            if count != nil {
                origin += ", SLURM_ARRAY_TASK_COUNT=\(count!)"
            } else if let maximum = try integer("SLURM_ARRAY_TASK_MAX") {
                count = (maximum - minimum) / step + 1
                origin += ", SLURM_ARRAY_TASK_MAX=\(maximum)"
            }
            guard (task - minimum) % step == 0 else {
                throw FerryError(.usage, "--shard auto: SLURM_ARRAY_TASK_ID=\(task) is not in the array's run of tasks", disposition: .abortJob)
            }
            return try made((task - minimum) / step, count, origin)
        }
        if let index = try integer("JOB_COMPLETION_INDEX") {
            return try made(index, nil, "JOB_COMPLETION_INDEX=\(index)")
        }
        if let rank = try integer("RANK") {
            let size = try integer("WORLD_SIZE")
            return try made(rank, size, "RANK=\(rank)" + (size.map { ", WORLD_SIZE=\($0)" } ?? ""))
        }
        throw FerryError(.usage, "--shard auto found no worker index: set SLURM_ARRAY_TASK_ID (a Slurm array), "
                         + "JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) or RANK and WORLD_SIZE, or give --shard I/N",
                         disposition: .abortJob)
    }
}
