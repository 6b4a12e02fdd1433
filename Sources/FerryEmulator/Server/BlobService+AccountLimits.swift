import NIOHTTP1

/// Where `AccountLimiter` meets the request path (its doc says what is charged when).
extension BlobService {
    /// The arrival decision: throws 503 ServerBusy when the request is over a limit. Returns true
    /// when the admitted body has no declared length, so it must be charged once read.
    func admitUnderAccountLimits(_ head: HTTPRequestHead) throws(ServiceError) -> Bool {
        let body = Self.declaredBody(head)
        if let refusal = accountLimiter.admitRequest(hasBody: body.hasBody, bodyBytes: body.bytes) {
            stats.countAccountLimitRefusal(refusal.kind)
            throw refusal.serviceError
        }
        return body.hasBody && body.bytes == nil
    }

    /// The answer decision: a successful answer with a body is swapped for 503 ServerBusy when
    /// egress is over its limit, before any of it is sent.
    func admitAnswerUnderAccountLimits(_ response: ServiceResponse, isHead: Bool, requestID: String) -> ServiceResponse {
        guard !isHead, response.status == 200 || response.status == 206,
              let refusal = accountLimiter.admitResponse(bodyBytes: response.bodyLength) else { return response }
        stats.countAccountLimitRefusal(refusal.kind)
        return ResponseWriter.errorResponse(refusal.serviceError, requestID: requestID)
    }

    /// The declared body: its length, if sent, and whether there is one at all.
    static func declaredBody(_ head: HTTPRequestHead) -> (hasBody: Bool, bytes: Int64?) {
        let length = head.headers.first(name: "content-length").flatMap { Int64($0.trimmingSpaces()) }
        return ((length ?? 0) > 0 || head.headers.contains(name: "transfer-encoding"), length)
    }
}
