import Foundation

/// What a verified SAS allows: the checks after the signature (PROTOCOLS.md A3 validation rules).
extension SASToken {
    /// The service's verdict on `st ≤ now < se`, or `nil` when the token is in its window.
    func timeRefusal(now: Date) -> AuthRejection? {
        guard let expiryDate = ServiceTime.parseISO8601(expiry) else {
            return .authenticationFailed("Signed expiry time se='\(expiry)' is not an ISO 8601 UTC time.")
        }
        var startDate: Date?
        if !start.isEmpty {
            guard let parsed = ServiceTime.parseISO8601(start) else {
                return .authenticationFailed("Signed start time st='\(start)' is not an ISO 8601 UTC time.")
            }
            startDate = parsed
        }
        let printedExpiry = ServiceTime.formatRFC1123(expiryDate)
        let printedStart = startDate.map(ServiceTime.formatRFC1123) ?? ""
        if let startDate, expiryDate <= startDate {
            return .authenticationFailed(
                "Signed expiry time [\(printedExpiry)] must be after signed start time [\(printedStart)]")
        }
        if now >= expiryDate || startDate.map({ now < $0 }) == true {
            return .authenticationFailed(
                "Signature not valid in the specified time frame: Start [\(printedStart)] - Expiry [\(printedExpiry)] "
                + "- Current [\(ServiceTime.formatRFC1123(now))]")
        }
        return nil
    }

    /// `spr` (when present) must list the request's protocol; `sip` (when present) must hold the client.
    func transportRefusal(_ request: ReceivedRequest) -> AuthRejection? {
        let allowed = protocols.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let used = request.isHTTPS ? "https" : "http"
        if !protocols.isEmpty, !allowed.contains(used) {
            return .protocolMismatch("The SAS allows spr=\(protocols) but the request came over \(used).")
        }
        if !ipRange.isEmpty, !IPAddressRange(ipRange).contains(request.clientAddress) {
            return .sourceIPMismatch(request.clientAddress)
        }
        return nil
    }

    /// Service, resource type and permission: `ss` must include Blob, `srt`/`sr` must cover the
    /// operation's level, and `sp` must include one of the permissions the operation accepts.
    func grantRefusal(_ requirement: AccessRequirement) -> AuthRejection? {
        switch kind {
        case .account:
            if !services.contains("b") {
                return .serviceMismatch("The SAS services ss=\(services) do not include the Blob service (b).")
            }
            let needed: Character = switch requirement.level { case .service: "s"; case .container: "c"; case .object: "o" }
            if !resourceTypes.contains(needed) {
                return .resourceTypeMismatch("The SAS resource types srt=\(resourceTypes) do not include \(needed).")
            }
        case .service:
            if let refusal = serviceResourceRefusal(requirement.level) { return refusal }
        }
        if !requirement.anyOf.isEmpty, !permissions.contains(where: requirement.anyOf.contains) {
            let accepted = requirement.anyOf.sorted().map(String.init).joined(separator: " or ")
            return .permissionMismatch("The SAS permissions sp=\(permissions) include none of \(accepted).")
        }
        return nil
    }

    /// A blob SAS (`sr=b`) reaches only its blob; a container SAS (`sr=c`) its container and
    /// blobs. Neither reaches the service level (list containers, account properties).
    func serviceResourceRefusal(_ level: ResourceLevel) -> AuthRejection? {
        switch (resource, level) {
        case ("b", .object), ("c", .object), ("c", .container): nil
        case ("b", _): .resourceTypeMismatch("A blob SAS (sr=b) authorizes operations on its blob only.")
        default: .resourceTypeMismatch("A container SAS (sr=c) authorizes operations on its container and blobs only.")
        }
    }
}
