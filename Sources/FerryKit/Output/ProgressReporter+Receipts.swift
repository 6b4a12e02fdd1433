import Foundation

extension ProgressReporter {
    /// With `--output-type json`: a `receipt` event (before `end`) naming the receipt file, its
    /// file count (`filesTotal`), bytes (`bytesTotal`) and root hash. Text mode prints nothing
    /// here (the command prints its line after the summary).
    public func receiptWritten(path: String, trailer: ReceiptTrailer) {
        guard format == .json else { return }
        var event = OutputEvent(type: "receipt", jobID: jobID)
        event.path = path
        event.filesTotal = Int(trailer.fileCount)
        event.bytesTotal = trailer.totalBytes
        event.rootHash = trailer.rootHash
        emit(event)
    }
}
