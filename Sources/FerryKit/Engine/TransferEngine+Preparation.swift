import Foundation

/// Before the workers start: the destination's one-time setup (`Endpoint.prepareDestination`).
extension TransferEngine {
    /// False when the job must not go on (cancelled, or an error that stops the job). Other
    /// failures become a warning: the writes that follow will report what is wrong, per file.
    func prepareDestination() -> Bool {
        // A few quick attempts only: an unreachable store is reported (and retried) by the writes.
        var quick = retry
        quick.maximumAttempts = min(retry.maximumAttempts, 3)
        quick.maximumOverloadedAttempts = min(retry.maximumOverloadedAttempts, 3)
        do {
            try quick.run(cancellation: cancellation) { try destination.prepareDestination() }
            return true
        } catch let error as FerryError where error.code == .cancelled {
            return false
        } catch let error as FerryError where error.disposition == .abortJob {
            stopJob(error)
            return false
        } catch let error as FerryError {
            events?.warning(error.message)
            return true
        } catch {
            events?.warning("preparing \(destination.redactedDescription) failed: \(error)")
            return true
        }
    }
}
