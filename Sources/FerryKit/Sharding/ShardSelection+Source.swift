import Foundation

extension ShardSelection {
    /// Stages what `planner` would take from `source` (the single named file, or the listing the
    /// filters take) and splits it. Used by a job's enumerator and by dry runs alike, so a dry run
    /// shows exactly the files the shard would move.
    @discardableResult
    func stageAndSplit(source: any Endpoint, planner: TransferPlanner, recursive: Bool, retry: RetryPolicy,
                       cancellation: CancellationFlag) throws -> Shares {
        try reset()
        if planner.mapping.singleFileDestination != nil {
            if let info = try retry.run(cancellation: cancellation, { try source.stat("") }) {
                try stage(path: info.path, sizeBytes: info.sizeBytes)
            }
            return try split()
        }
        let filter = planner.filter
        var listing = try retry.run(cancellation: cancellation) {
            try source.list(prefix: "", recursive: recursive, entering: { filter.mayTakeAnything(below: $0) })
        }
        while let info = try retry.run(cancellation: cancellation, { try listing.next() }) {
            if cancellation.isCancelled {
                throw FerryError(.cancelled, "cancelled while listing the source for --shard", disposition: .abortJob)
            }
            if filter.accepts(info) { try stage(path: info.path, sizeBytes: info.sizeBytes) }
        }
        return try split()
    }
}

extension JobSetup {
    /// A dry run's split of the source (a scratch file, deleted with the selection); nil without `--shard`.
    func dryRunShardSelection() throws -> ShardSelection? {
        guard let shard = spec.options.shard else { return nil }
        let selection = try ShardSelection(spec: shard)
        try selection.stageAndSplit(source: source, planner: planner, recursive: spec.options.recursive,
                                    retry: RetryPolicy(), cancellation: CancellationFlag())
        return selection
    }
}

extension ShardSelection {
    /// A scratch split of everything below `endpoint` (recursive, taken by `filter`): `ls` and
    /// `receipt` with `--shard`.
    public static func ofListing(endpoint: any Endpoint, spec: ShardSpec, filter: PathFilter = PathFilter()) throws -> ShardSelection {
        let selection = try ShardSelection(spec: spec)
        var listing = try endpoint.list(prefix: "", recursive: true, entering: { filter.mayTakeAnything(below: $0) })
        try selection.build(from: &listing, taking: { filter.accepts($0) })
        return selection
    }

    /// A scratch split of a receipt's entries (`verify --shard`): the same split a sharded copy of
    /// that tree made, since it depends only on each file's path and size (a common leading
    /// directory, as in `corpus/…`, changes no comparison).
    public static func ofReceipt(at path: String, spec: ShardSpec) throws -> ShardSelection {
        let selection = try ShardSelection(spec: spec)
        let reader = try ReceiptReader(path: path)
        while let entry = try reader.next() { try selection.stage(path: entry.path, sizeBytes: entry.sizeBytes) }
        try selection.split()
        return selection
    }
}
