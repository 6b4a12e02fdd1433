import Foundation

/// Verifies `Authorization: SharedKey {account}:{signature}` (PROTOCOLS.md A3): recomputes the
/// string-to-sign, tries each account key, and if none matches retries with the header order
/// azure-storage-blob 12.31 uses and with inner whitespace kept as sent. Then checks the request
/// date is within 15 minutes of `now`.
/// Immutable value; Sendable.
struct SharedKeyVerifier: Sendable {
    static let maximumClockSkewSeconds: TimeInterval = 15 * 60

    let accountName: String
    let keys: [Data]

    /// `credentials` is the Authorization value after the `SharedKey ` scheme.
    func verify(_ request: ReceivedRequest, credentials: Substring, now: Date) -> Result<Principal, AuthRejection> {
        guard let colon = credentials.firstIndex(of: ":") else {
            return .failure(.authenticationFailed(
                "The Authorization header is not of the form 'SharedKey {account}:{signature}'."))
        }
        let claimedAccount = credentials[..<colon].trimmingCharacters(in: .whitespaces)
        let signature = credentials[credentials.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        guard claimedAccount == accountName else {
            return .failure(.authenticationFailed(
                "The account '\(claimedAccount)' in the Authorization header is not this emulator's account '\(accountName)'."))
        }
        let requestDate: Date
        switch datedAt(request) {
        case .success(let date): requestDate = date
        case .failure(let rejection): return .failure(rejection)
        }
        guard signatureMatches(request, signature: signature) else {
            let stringToSign = SharedKeyStringToSign(accountName: accountName).build(for: request, headerOrder: .ordinal)
            return .failure(.authenticationFailed(
                "The MAC signature found in the HTTP request '\(signature)' is not the same as any computed signature. "
                + "Server used following string to sign: '\(StringToSignRedaction.redact(stringToSign))'."))
        }
        let skew = now.timeIntervalSince(requestDate)
        if skew > Self.maximumClockSkewSeconds {
            return .failure(.authenticationFailed("Request date header too old: '\(ServiceTime.formatRFC1123(requestDate))'"))
        }
        if -skew > Self.maximumClockSkewSeconds {
            return .failure(.authenticationFailed(
                "Request date header is in the future: '\(ServiceTime.formatRFC1123(requestDate))'"))
        }
        return .success(.sharedKey)
    }

    /// Whether one of the keys signs this request's string-to-sign to `signature`, trying the
    /// documented form first and the others (`SharedKeyStringToSign.attempts`) only when they
    /// produce a different string for this request.
    private func signatureMatches(_ request: ReceivedRequest, signature: String) -> Bool {
        let builder = SharedKeyStringToSign(accountName: accountName)
        var tried: [String] = []
        for attempt in SharedKeyStringToSign.attempts {
            let stringToSign = builder.build(for: request, headerOrder: attempt.order, values: attempt.values)
            if tried.contains(stringToSign) { continue }
            tried.append(stringToSign)
            for key in keys where SignatureComparison.presented(signature, matches: SignatureComparison.sign(stringToSign, key: key)) {
                return true
            }
        }
        return false
    }

    /// `x-ms-date` wins over `Date`; one of them is required.
    private func datedAt(_ request: ReceivedRequest) -> Result<Date, AuthRejection> {
        let header = request.headerValue("x-ms-date") != nil ? "x-ms-date" : "Date"
        guard let value = request.headerValue(header) else {
            return .failure(.authenticationFailed("The request has neither an x-ms-date nor a Date header."))
        }
        guard let date = ServiceTime.parseRFC1123(value) else {
            return .failure(.authenticationFailed("The \(header) value '\(value)' is not an RFC 1123 date."))
        }
        return .success(date)
    }
}
