import Foundation

/// Verifies `Authorization: Bearer <token>` against the one token the emulator was started with.
///
/// The real service wants an Entra ID JWT over HTTPS. The emulator is a local test server: it
/// has no identity provider to validate a JWT against, and on 127.0.0.1 TLS would protect nothing,
/// so it accepts a fixed shared token over plain http. This lets OAuth-mode clients (AzCopy after
/// `azcopy login`, Python with a token credential) be exercised offline; it is not a security boundary.
/// Immutable value; Sendable.
struct BearerVerifier: Sendable {
    let expectedToken: String?

    /// `token` is the Authorization value after the `Bearer ` scheme.
    func verify(token: Substring) -> Result<Principal, AuthRejection> {
        guard let expectedToken else {
            return .failure(.invalidBearer("ferry-emulator was started without a bearer token; use Shared Key or SAS."))
        }
        let presented = Array(token.trimmingCharacters(in: .whitespaces).utf8)
        guard !presented.isEmpty, SignatureComparison.constantTimeEqual(presented, Array(expectedToken.utf8)) else {
            return .failure(.invalidBearer("The bearer token is not the one ferry-emulator was started with."))
        }
        return .success(.bearer)
    }
}
