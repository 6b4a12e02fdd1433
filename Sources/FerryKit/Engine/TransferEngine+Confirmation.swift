import Foundation

/// A sync's "confirm" step (`ChangeDetection.Verdict.confirm`), on a worker: before a file whose
/// time differs is sent, the CRC-64 of both sides is compared (`ContentComparison`), so a fresh
/// checkout (new mtimes, same bytes) or clock skew costs a checksum and never a transfer.
extension TransferEngine {
    /// Records `file` as unchanged and returns true when both sides hold the same bytes.
    func skipIfContentUnchanged(_ file: FileRecord) throws -> Bool {
        let plan = file.plan
        guard plan.confirmsBeforeSending else { return false }
        let comparison = ContentComparison(source: source, destination: destination, retry: retry, cancellation: cancellation)
        guard let crc = try comparison.matchingCRC64(plan) else { return false }
        // A downloaded file with the right bytes but another time gets the source's time, so the
        // next sync decides from the listing alone.
        if let settable = destination as? any ModificationTimeSettingEndpoint, let time = plan.recordedTime {
            try? settable.setModificationTime(plan.destinationPath, to: time)
        }
        store.finishFile(fileID: file.id, state: .skipped, crc64: crc, md5: nil, error: nil)
        progress.fileSkipped(sizeBytes: plan.sizeBytes)
        return true
    }
}
