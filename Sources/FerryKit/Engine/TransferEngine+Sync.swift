import Foundation

/// `ferry sync` on the enumerator thread: each source entry is decided against what the
/// destination's listing says at its path (`DestinationLookup`: read side by side, or staged in
/// the job's index database), with no request of its own (`ChangeDetection`). Names are compared
/// as UTF-8 bytes.
extension TransferEngine {
    /// Opens the destination side of a sync: side by side with the source's listing where both
    /// list in byte order, else staged in the job's index (unless an earlier run staged it).
    func openDestinationLookup() throws -> DestinationLookup {
        guard let path = destinationIndexPath else {
            throw FerryError(.internal, "a sync needs a job database for its destination index", disposition: .abortJob)
        }
        let filter = planner.filter
        return try DestinationLookup(index: try DestinationIndex(path: path), destination: destination,
                                     sourceListsInByteOrder: source.capabilities.listsInByteOrder
                                        && planner.mapping.singleFileDestination == nil,
                                     retry: retry, cancellation: cancellation,
                                     takenByFilters: { filter.accepts(path: $0.path, lastModified: $0.filterTime) },
                                     warn: { [events] in events?.warning($0) })
    }

    /// The record for a planned source file: unchanged files are recorded skipped, with what the
    /// destination listing said (CRC-64, ETag); files to confirm carry the destination's CRC-64.
    func syncDecision(_ file: FileRecord, source info: ObjectInfo, destination lookup: DestinationLookup) throws -> FileRecord {
        guard let sync = options.sync else { return file }
        let existing = try lookup.entry(at: file.plan.destinationPath)
        var decided = file
        switch ChangeDetection(comparesHash: sync.comparesHash).verdict(source: info, sourceTime: SourceTime.of(info),
                                                                         destination: existing) {
        case .copy:
            break
        case .unchanged:
            decided.state = .skipped
            decided.crc64 = existing?.crc64 ?? info.crc64
            decided.etag = existing?.etag
        case .confirm:
            decided.plan.confirmsBeforeSending = true
            decided.plan.destinationCRC64 = existing?.crc64
            decided.plan.destinationMD5 = existing?.contentMD5
        }
        return decided
    }
}
