import Foundation

/// `--shard I/N`: before anything is planned, the whole source listing is staged and split
/// (`ShardSelection`); the enumerator then plans only the files that fall to this shard. The
/// split is kept beside the job database (`<id>.shard.db`), so a resumed shard plans the same
/// files without listing twice; a new machine that lost it lists again and gets the same split
/// from the same source.
extension TransferEngine {
    var shardSelectionPath: String? { jobDatabasePath.map(ShardSelection.path(jobDatabase:)) }

    /// The job's split, staged and split now unless an earlier run of the job finished that.
    func openShardSelection(_ spec: ShardSpec) throws -> ShardSelection {
        let selection = try ShardSelection(spec: spec, path: shardSelectionPath)
        if let shares = try selection.completedShares() {
            events?.shardChosen(spec, shares: shares)
            return selection
        }
        let shares = try selection.stageAndSplit(source: source, planner: planner, recursive: options.recursive,
                                                 retry: retry, cancellation: cancellation)
        events?.shardChosen(spec, shares: shares)
        return selection
    }

    /// A finished shard will not resume: its split has served its purpose.
    func removeShardSelection() {
        guard options.shard != nil, let path = shardSelectionPath else { return }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
