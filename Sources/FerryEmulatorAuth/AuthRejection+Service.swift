/// The refusals the emulator sends, worded as the Blob service words them, so SDK error handling
/// and people reading logs see what they would see against Azure. Details never contain a key, a
/// SAS `sig` or a bearer token.
extension AuthRejection {
    static let wrongSignatureMessage = "Server failed to authenticate the request. "
        + "Make sure the value of Authorization header is formed correctly including the signature."
    static let seeChallengeMessage = "Server failed to authenticate the request. "
        + "Please refer to the information in the www-authenticate header."
    /// The challenge the service sends with bearer 401s (the `common` tenant: there is one issuer here).
    static let bearerChallenge = "Bearer authorization_uri=https://login.microsoftonline.com/common/oauth2/authorize "
        + "resource_id=https://storage.azure.com"

    /// 403 `AuthenticationFailed`: a bad signature, a bad or stale date, an unusable token.
    static func authenticationFailed(_ detail: String) -> AuthRejection {
        AuthRejection(status: 403, code: "AuthenticationFailed", message: wrongSignatureMessage, detail: detail)
    }

    static func permissionMismatch(_ detail: String) -> AuthRejection {
        authorizationMismatch("AuthorizationPermissionMismatch", "permission", detail)
    }

    static func resourceTypeMismatch(_ detail: String) -> AuthRejection {
        authorizationMismatch("AuthorizationResourceTypeMismatch", "resource type", detail)
    }

    static func serviceMismatch(_ detail: String) -> AuthRejection {
        authorizationMismatch("AuthorizationServiceMismatch", "service", detail)
    }

    static func protocolMismatch(_ detail: String) -> AuthRejection {
        authorizationMismatch("AuthorizationProtocolMismatch", "protocol", detail)
    }

    static func sourceIPMismatch(_ clientAddress: String) -> AuthRejection {
        AuthRejection(status: 403, code: "AuthorizationSourceIPMismatch",
                      message: "This request is not authorized to perform this operation using this source IP \(clientAddress).",
                      detail: "The client address \(clientAddress) is outside the SAS sip range.")
    }

    /// 401 `InvalidAuthenticationInfo` with the bearer challenge (by default the `common` tenant's).
    static func invalidBearer(_ detail: String, challenge: String = bearerChallenge) -> AuthRejection {
        AuthRejection(status: 401, code: "InvalidAuthenticationInfo", message: seeChallengeMessage,
                      detail: detail, wwwAuthenticate: challenge)
    }

    /// 401 `NoAuthenticationInformation`: an anonymous request to something that is not public.
    static func noAuthenticationInformation(_ detail: String) -> AuthRejection {
        AuthRejection(status: 401, code: "NoAuthenticationInformation", message: seeChallengeMessage, detail: detail)
    }

    private static func authorizationMismatch(_ code: String, _ what: String, _ detail: String) -> AuthRejection {
        AuthRejection(status: 403, code: code,
                      message: "This request is not authorized to perform this operation using this \(what).",
                      detail: detail)
    }
}
