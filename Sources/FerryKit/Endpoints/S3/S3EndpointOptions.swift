import Foundation

/// How bucket names go into request URLs (PROTOCOLS.md B1).
public enum S3Addressing: String, Sendable, Hashable, CaseIterable, Codable {
    /// `https://host/BUCKET/KEY`: emulators, MinIO-likes, dotted bucket names.
    case path
    /// `https://BUCKET.host/KEY`: the AWS default.
    case virtual
    /// Virtual for AWS hosts and DNS-safe bucket names; path for IPs, localhost and custom endpoints.
    case auto
}

/// What the front end tells an S3 endpoint beyond its URL. No secrets: a job records it so
/// `ferry jobs resume` reopens the same service. Value type; safe to share.
public struct S3EndpointOptions: Sendable, Hashable, Codable {
    /// The service URL (`--s3-endpoint`), e.g. `http://127.0.0.1:8333`; nil = environment, profile,
    /// else `https://s3.{region}.amazonaws.com`.
    public var endpointURL: String?
    public var addressing: S3Addressing
    /// Signing region; nil = `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile, else `us-east-1`.
    public var region: String?

    public init(endpointURL: String? = nil, addressing: S3Addressing = .auto, region: String? = nil) {
        self.endpointURL = endpointURL
        self.addressing = addressing
        self.region = region
    }
}

/// Where an S3 endpoint may find credentials, region and endpoint settings.
/// Value type; safe to share between threads.
public struct S3CredentialSources: Sendable {
    /// Process environment: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`,
    /// `AWS_PROFILE`, `AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE`, `AWS_REGION`,
    /// `AWS_DEFAULT_REGION`, `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`.
    public var environment: [String: String]
    /// Home directory holding `.aws/credentials` and `.aws/config`; nil = do not read them.
    public var homeDirectory: String?

    public init(environment: [String: String], homeDirectory: String? = nil) {
        self.environment = environment
        self.homeDirectory = homeDirectory
    }
}
