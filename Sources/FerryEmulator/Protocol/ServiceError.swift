/// An Azure error answer (PROTOCOLS.md A10): status, `x-ms-error-code`, message, and optional
/// detail elements and headers. Value type; safe from any thread.
struct ServiceError: Error, Sendable {
    var status: Int
    var code: String
    var message: String
    /// Extra XML elements after `Message` (e.g. `UserSpecifiedMd5`), in order.
    var details: [(String, String)] = []
    /// Extra response headers (e.g. `Content-Range` on 416, `Retry-After`).
    var headers: [(String, String)] = []

    static func containerNotFound() -> ServiceError {
        ServiceError(status: 404, code: "ContainerNotFound", message: "The specified container does not exist.")
    }

    static func blobNotFound() -> ServiceError {
        ServiceError(status: 404, code: "BlobNotFound", message: "The specified blob does not exist.")
    }

    static func conditionNotMet() -> ServiceError {
        ServiceError(status: 412, code: "ConditionNotMet",
                     message: "The condition specified using HTTP conditional header(s) is not met.")
    }

    static func blobAlreadyExists() -> ServiceError {
        ServiceError(status: 409, code: "BlobAlreadyExists", message: "The specified blob already exists.")
    }

    static func invalidHeader(_ name: String, _ value: String) -> ServiceError {
        ServiceError(status: 400, code: "InvalidHeaderValue",
                     message: "The value for one of the HTTP headers is not in the correct format.",
                     details: [("HeaderName", name), ("HeaderValue", value)])
    }

    static func missingHeader(_ name: String) -> ServiceError {
        ServiceError(status: 400, code: "MissingRequiredHeader",
                     message: "An HTTP header that's mandatory for this request is not specified.",
                     details: [("HeaderName", name)])
    }

    static func internalError(_ why: String) -> ServiceError {
        ServiceError(status: 500, code: "InternalError", message: "The server encountered an internal error: \(why)")
    }
}
