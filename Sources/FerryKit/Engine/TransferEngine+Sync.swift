import Foundation

/// `ferry sync` on the enumerator thread: the destination's listing is staged once in the job's
/// index database (`DestinationIndex`), then each source entry is decided against it with no
/// request of its own (`ChangeDetection`). Names are looked up as UTF-8 bytes.
extension TransferEngine {
    /// Lists the destination into the index, unless an earlier run of this job finished doing so.
    func stageDestinationIndex() throws -> DestinationIndex {
        guard let path = destinationIndexPath else {
            throw FerryError(.internal, "a sync needs a job database for its destination index", disposition: .abortJob)
        }
        let index = try DestinationIndex(path: path)
        if try !index.isComplete { try index.stageListing(of: destination, retry: retry, cancellation: cancellation) }
        return index
    }

    /// The record for a planned source file: unchanged files are recorded skipped, with what the
    /// destination listing said (CRC-64, ETag); files to confirm carry the destination's CRC-64.
    func syncDecision(_ file: FileRecord, source info: ObjectInfo, index: DestinationIndex) throws -> FileRecord {
        guard let sync = options.sync else { return file }
        let existing = try index.entry(at: file.plan.destinationPath)
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
        }
        return decided
    }
}
