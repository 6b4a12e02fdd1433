import Foundation

/// `ferry sync --dry-run`: lists both sides and decides exactly as a sync would (checksums
/// included, where a time differs), and reports each copy and delete instead of doing it. Writes
/// nothing but a temporary index, removed at the end. Blocking; call from a thread of ours.
public enum SyncDryRun {
    public struct Outcome: Sendable {
        public var copies = 0
        public var deletes = 0
        /// What would stop a real run's deletes (`--max-delete`, empty source), if anything.
        public var refusal: FerryError?
    }

    public static func run(_ setup: JobSetup, copy: (FilePlan) -> Void, delete: (String) -> Void) throws -> Outcome {
        let sync = setup.spec.options.sync ?? SyncOptions()
        let scratch = NSTemporaryDirectory() + "ferry-dryrun-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let index = try DestinationIndex(path: scratch + "/dest.db")
        try index.stageListing(of: setup.destination, retry: RetryPolicy(), cancellation: CancellationFlag())

        let shard = try setup.dryRunShardSelection()
        defer { shard?.close() }
        var outcome = Outcome()
        var sourceFiles = 0
        let detection = ChangeDetection(comparesHash: sync.comparesHash)
        let comparison = ContentComparison(source: setup.source, destination: setup.destination)
        let filter = setup.planner.filter
        var listing = try setup.source.list(prefix: "", recursive: true, entering: { filter.mayTakeAnything(below: $0) })
        while let info = try listing.next() {
            let planned: FilePlan?
            do { planned = try setup.planner.plan(info) } catch let error as FerryError where error.disposition == .skipItem { continue }
            guard var plan = planned else { continue }
            sourceFiles += 1
            try index.markListed(plan.destinationPath)
            if let shard, !(try shard.owns(info.path)) { continue }
            let existing = try index.entry(at: plan.destinationPath)
            switch detection.verdict(source: info, sourceTime: SourceTime.of(info), destination: existing) {
            case .unchanged:
                continue
            case .confirm:
                plan.destinationCRC64 = existing?.crc64
                plan.destinationMD5 = existing?.contentMD5
                if try comparison.sameContent(plan).same { continue }
            case .copy:
                break
            }
            outcome.copies += 1
            copy(plan)
        }
        try index.finishListing()
        guard sync.deletion != .never else { return outcome }

        let checksSource = filter.modifiedAfter != nil || filter.modifiedBefore != nil
        var after: String?
        while true {
            let page = try index.unlisted(after: after, limit: 1000)
            guard let last = page.last else { break }
            after = last.path
            for entry in page where filter.accepts(path: entry.path, lastModified: entry.filterTime) {
                if let shard, !(try shard.owns(entry.path)) { continue }
                if checksSource, try setup.source.stat(entry.path) != nil { continue }
                outcome.deletes += 1
                delete(entry.path)
            }
        }
        if outcome.deletes > 0 && sourceFiles == 0 {
            outcome.refusal = FerryError(.deletionRefused, "the source listed no files: a sync would delete nothing "
                                         + "(an empty or unreadable source never empties a destination)", disposition: .abortJob)
        } else if let limit = sync.maximumDeletes {
            let total = filter.takesEverything ? try index.count()
                : try index.count(where: { filter.accepts(path: $0.path, lastModified: $0.filterTime) })
            if outcome.deletes > limit.allowed(destinationCount: total) {
                outcome.refusal = FerryError(.deletionRefused, "\(outcome.deletes) destination object(s) are not in the source, "
                                             + "more than --max-delete \(limit.description) allows; a sync would delete nothing",
                                             disposition: .abortJob)
            }
        }
        return outcome
    }
}
