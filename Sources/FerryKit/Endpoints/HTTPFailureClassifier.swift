import FerryHTTP
import Foundation

/// What Azure and S3 endpoints have in common when a request gets no usable HTTP answer, and how
/// both read `Retry-After`. Pure; safe from any thread. Status codes and service error codes stay
/// with each endpoint's own classifier: they differ by service.
enum HTTPFailureClassifier {
    /// The error for a request that got no usable response. `checkAdvice` is what a user should
    /// verify when the failure will not go away by retrying (names the service's own settings).
    static func error(for failure: HTTPError, operation: String, target: String, checkAdvice: String) -> FerryError {
        let detail = Redaction.text(failure.description)
        switch failure.kind {
        case .responseTooLarge:
            return FerryError(.protocolViolation, "\(operation) \(target) failed: the service sent more data than expected",
                              disposition: .skipItem, cause: detail)
        case .configuration:
            return FerryError(.internal, "\(operation) \(target) failed: \(detail)", disposition: .abortJob, cause: detail)
        case .transport:
            if failure.isRetryable {
                var retryable = FerryError(.network, "\(operation) \(target) failed: \(detail); it will be retried",
                                           disposition: .retry, cause: detail)
                // CURLE_OPERATION_TIMEDOUT: the service stalled, which a loaded service does.
                retryable.signalsOverload = failure.curlCode == 28
                return retryable
            }
            return FerryError(.network, "\(operation) \(target) failed: \(detail); \(checkAdvice)",
                              disposition: .abortJob, cause: detail)
        }
    }

    /// `Retry-After` as seconds: either delta-seconds or an HTTP date.
    static func parseRetryAfter(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed), seconds >= 0 { return seconds }
        if let date = HTTPDate.parse(trimmed) { return max(0, date.timeIntervalSinceNow) }
        return nil
    }
}
