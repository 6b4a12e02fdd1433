import Foundation

// INTERFACE (skeleton): the emulator server calls this; the implementation is written in this
// target independently of the client's signing code (FerryKit), so a bug cannot hide on both sides.

/// A request as the emulator received it, before any routing decision beyond account/container/blob.
public struct ReceivedRequest: Sendable {
    public var method: String
    /// The path exactly as on the wire (still percent-encoded), without the query: `/acct/c/dir%20x/b`.
    public var rawPath: String
    /// The query exactly as on the wire (still percent-encoded), without `?`; "" if none.
    public var rawQuery: String
    /// Headers as received (names in any case; repeated names kept in order).
    public var headers: [(name: String, value: String)]
    /// Account, container and (decoded) blob name taken from the path.
    public var account: String
    public var container: String?
    public var blob: String?
    /// The client's IP address, checked against a SAS `sip`. Defaults to loopback, where the
    /// emulator listens; the server may set the peer's real address.
    public var clientAddress: String = "127.0.0.1"
    /// Whether the request arrived over TLS (`--tls-cert`), checked against a SAS `spr`.
    public var isHTTPS: Bool = false

    public init(method: String, rawPath: String, rawQuery: String, headers: [(name: String, value: String)],
                account: String, container: String?, blob: String?) {
        self.method = method
        self.rawPath = rawPath
        self.rawQuery = rawQuery
        self.headers = headers
        self.account = account
        self.container = container
        self.blob = blob
    }
}

/// SAS permission letters (PROTOCOLS.md A3).
public enum SASPermission: Character, Sendable, CaseIterable {
    case read = "r", add = "a", create = "c", write = "w", delete = "d", list = "l"
}

/// The resource level an operation touches (account SAS `srt`: s, c, o).
public enum ResourceLevel: Sendable { case service, container, object }

/// What an operation needs: any one of `anyOf` permissions, at `level`.
public struct AccessRequirement: Sendable {
    public var anyOf: Set<Character>
    public var level: ResourceLevel
    /// Reads of blob content or properties (what anonymous access to a public container allows).
    public var isAnonymousReadable: Bool
    /// Listing blobs in a container (anonymous only with public access `container`).
    public var isContainerList: Bool
    /// The Azure RBAC data action an Entra ID principal needs (by default read, write or delete
    /// of blobs, after the SAS letters).
    public var dataAction: BlobDataAction

    public init(anyOf: Set<Character>, level: ResourceLevel, isAnonymousReadable: Bool = false,
                isContainerList: Bool = false, dataAction: BlobDataAction? = nil) {
        self.anyOf = anyOf
        self.level = level
        self.isAnonymousReadable = isAnonymousReadable
        self.isContainerList = isContainerList
        self.dataAction = dataAction
            ?? (anyOf.contains("d") ? .blobsDelete : anyOf.isDisjoint(with: ["w", "c", "a"]) ? .blobsRead : .blobsWrite)
    }
}

/// A container's anonymous access level (`x-ms-blob-public-access`).
public enum PublicAccess: String, Sendable { case none, blob, container }

/// Who a request was authenticated as: `bearer` is the static `--bearer-token`, `entra` a token
/// the emulator's issuer signed (the principal's object ID).
public enum Principal: Sendable, Equatable { case sharedKey, sas, bearer, anonymous, entra(objectID: String) }

/// Why a request was refused, as the service words it.
public struct AuthRejection: Error, Sendable, Equatable {
    public var status: Int            // 401 or 403
    public var code: String           // AuthenticationFailed, AuthorizationPermissionMismatch, …
    public var message: String
    /// `AuthenticationErrorDetail` (e.g. the server's string-to-sign for a Shared Key mismatch).
    public var detail: String?
    /// `WWW-Authenticate` header value for 401 bearer failures.
    public var wwwAuthenticate: String?

    public init(status: Int, code: String, message: String, detail: String? = nil, wwwAuthenticate: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.detail = detail
        self.wwwAuthenticate = wwwAuthenticate
    }
}

/// Checks Shared Key, account SAS, service SAS and bearer-token requests for one account.
/// Immutable value; safe from any thread.
public struct RequestAuthenticator: Sendable {
    public let accountName: String
    /// Decoded key bytes (key1, key2).
    public let keys: [Data]
    /// The one bearer token accepted (`--bearer-token`), if any.
    public let bearerToken: String?
    /// The Entra ID issuer whose tokens are accepted, with role checks (`--principals`), if any.
    public let entra: EntraIssuer?

    public init(accountName: String, keys: [Data], bearerToken: String?, entra: EntraIssuer? = nil) {
        self.accountName = accountName
        self.keys = keys
        self.bearerToken = bearerToken
        self.entra = entra
    }

    /// Decides whether `request` may do what `requirement` describes. `publicAccess` is the
    /// container's anonymous level (`.none` when there is no container or it does not exist yet).
    ///
    /// Shared Key and static bearer requests, once verified, may do anything in the account; an
    /// Entra ID token may do what its principal's roles allow on the request's scope; a SAS may
    /// do what its fields grant (`requirement` is checked against `ss`/`srt`/`sr`/`sp`); an
    /// anonymous request may only read (and list) what `publicAccess` opens. Refusals carry the
    /// service's status, code and wording (`AuthRejection+Service.swift`) and never a key, a SAS
    /// `sig` or a bearer token. `now` is injected so tests can pin the clock.
    public func authenticate(_ request: ReceivedRequest, requirement: AccessRequirement,
                             publicAccess: PublicAccess, now: Date = Date()) -> Result<Principal, AuthRejection> {
        // An Authorization header decides the scheme; otherwise a `sig` makes it a SAS request;
        // otherwise it is anonymous (the order Azurite also uses).
        if let authorization = request.headerValue("Authorization")?.trimmingCharacters(in: .whitespaces),
           !authorization.isEmpty {
            let scheme = authorization.prefix { $0 != " " }
            let credentials = authorization.dropFirst(scheme.count).drop { $0 == " " }
            switch scheme.lowercased() {
            case "sharedkey":
                return SharedKeyVerifier(accountName: accountName, keys: keys)
                    .verify(request, credentials: credentials, now: now)
            case "bearer":
                return BearerVerifier(expectedToken: bearerToken, entra: entra)
                    .verify(token: credentials, request: request, requirement: requirement, now: now)
            default:
                // The value is not echoed: without a recognised scheme it may be a bare secret.
                return .failure(.authenticationFailed(
                    "The Authorization header's scheme is not supported by ferry-emulator; use SharedKey, a SAS or Bearer."))
            }
        }
        if request.query["sig"] != nil {
            return SASVerifier(accountName: accountName, keys: keys).verify(request, requirement: requirement, now: now)
        }
        // With an Entra ID tenant the service names it in the refusal, so a client can learn the
        // tenant before it has any token (the challenge-based discovery AzCopy and the SDKs use).
        return AnonymousAccess.decide(requirement, publicAccess: publicAccess).mapError { rejection in
            guard let entra else { return rejection }
            var challenged = rejection
            challenged.wwwAuthenticate = BearerVerifier.challenge(tenant: entra.directory.tenantID, host: request.headerValue("Host"))
            return challenged
        }
    }
}
