import Foundation
import Testing
@testable import FerryKit

@Suite struct S3CredentialTests {
    /// A home directory with `.aws/credentials` and `.aws/config`, removed afterwards.
    static func withHome<T>(credentials: String, config: String, _ body: (String) throws -> T) throws -> T {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-aws-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home.appendingPathComponent(".aws"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        try Data(credentials.utf8).write(to: home.appendingPathComponent(".aws/credentials"))
        try Data(config.utf8).write(to: home.appendingPathComponent(".aws/config"))
        return try body(home.path)
    }

    static let credentialsFile = """
    # comment
    [default]
    aws_access_key_id = DEFAULTID
    aws_secret_access_key = default/secret+key

    [work]
    aws_access_key_id=WORKID
    aws_secret_access_key=work-secret
    aws_session_token = work-token
    [half]
    aws_access_key_id = HALFID
    """

    static let configFile = """
    [default]
    region = eu-central-1
    ; comment
    [profile work]
    region = us-west-2
    s3 =
      addressing_style = path
      max_concurrent_requests = 20
    endpoint_url = http://127.0.0.1:9000
    [sso-session corp]
    region = nowhere
    [profile half]
    """

    @Test func profileFileParsing() {
        let config = S3ProfileFile.parse(Self.configFile, isConfigFile: true)
        #expect(config["default"] == ["region": "eu-central-1"])
        #expect(config["work"]?["s3.addressing_style"] == "path")
        #expect(config["work"]?["s3.max_concurrent_requests"] == "20")
        #expect(config["work"]?["endpoint_url"] == "http://127.0.0.1:9000")
        #expect(config["corp"] == nil && config["sso-session corp"] == nil)
        let credentials = S3ProfileFile.parse(Self.credentialsFile, isConfigFile: false)
        #expect(credentials["default"]?["aws_secret_access_key"] == "default/secret+key")
        #expect(credentials["work"]?["aws_session_token"] == "work-token")
    }

    @Test func defaultProfileFromHome() throws {
        try Self.withHome(credentials: Self.credentialsFile, config: Self.configFile) { home in
            let sources = S3CredentialSources(environment: [:], homeDirectory: home)
            let profile = try S3Profile.load(from: sources)
            #expect(profile.values["region"] == "eu-central-1")
            guard case .accessKey(let id, let secret, let token) = try S3Credential.resolve(environment: [:], profile: profile) else {
                Issue.record("expected an access key")
                return
            }
            #expect(id == "DEFAULTID" && secret == "default/secret+key" && token == nil)
        }
    }

    @Test func namedProfileMergesConfigAndCredentials() throws {
        try Self.withHome(credentials: Self.credentialsFile, config: Self.configFile) { home in
            let sources = S3CredentialSources(environment: ["AWS_PROFILE": "work"], homeDirectory: home)
            let profile = try S3Profile.load(from: sources)
            let location = try S3Location.resolve(bucket: "my-bucket", prefix: "", options: S3EndpointOptions(),
                                                  environment: sources.environment, profile: profile)
            #expect(location.region == "us-west-2")
            #expect(location.serviceAuthority == "127.0.0.1:9000" && !location.isVirtualHosted)
            let credential = try S3Credential.resolve(environment: sources.environment, profile: profile)
            #expect(credential.kindName == "temporary access key")
        }
    }

    @Test func fileLocationsFromEnvironment() throws {
        try Self.withHome(credentials: "[default]\naws_access_key_id = NOPE\naws_secret_access_key = nope\n", config: "") { home in
            let other = home + "/.aws/other-credentials"
            try Data("[default]\naws_access_key_id = OTHERID\naws_secret_access_key = other\n".utf8).write(to: URL(fileURLWithPath: other))
            let environment = ["AWS_SHARED_CREDENTIALS_FILE": other, "AWS_CONFIG_FILE": home + "/missing"]
            let profile = try S3Profile.load(from: S3CredentialSources(environment: environment, homeDirectory: home))
            guard case .accessKey(let id, _, _) = try S3Credential.resolve(environment: environment, profile: profile) else {
                Issue.record("expected an access key")
                return
            }
            #expect(id == "OTHERID")
        }
    }

    @Test func environmentKeysWinOverProfiles() throws {
        try Self.withHome(credentials: Self.credentialsFile, config: Self.configFile) { home in
            let environment = ["AWS_ACCESS_KEY_ID": "ENVID", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "env-token"]
            let profile = try S3Profile.load(from: S3CredentialSources(environment: environment, homeDirectory: home))
            guard case .accessKey(let id, let secret, let token) = try S3Credential.resolve(environment: environment, profile: profile) else {
                Issue.record("expected an access key")
                return
            }
            #expect(id == "ENVID" && secret == "env-secret" && token == "env-token")
        }
    }

    @Test func misconfigurationsAreErrorsNotFallbacks() throws {
        try Self.withHome(credentials: Self.credentialsFile, config: Self.configFile) { home in
            let missing = S3CredentialSources(environment: ["AWS_PROFILE": "nosuch"], homeDirectory: home)
            #expect { try S3Profile.load(from: missing) } throws: { ($0 as? FerryError)?.code == .usage }
            let half = try S3Profile.load(from: S3CredentialSources(environment: ["AWS_PROFILE": "half"], homeDirectory: home))
            #expect { try S3Credential.resolve(environment: [:], profile: half) } throws: {
                ($0 as? FerryError)?.code == .authenticationFailed
            }
            #expect { try S3Credential.resolve(environment: ["AWS_ACCESS_KEY_ID": "X"], profile: half) } throws: {
                ($0 as? FerryError)?.code == .authenticationFailed
            }
        }
    }

    @Test func anonymousWithoutAnySource() throws {
        let profile = try S3Profile.load(from: S3CredentialSources(environment: [:], homeDirectory: nil))
        #expect(try S3Credential.resolve(environment: [:], profile: profile).kindName == "anonymous access")
    }

    @Test func descriptionsNeverShowSecrets() throws {
        let credential = S3Credential.accessKey(id: "AKIDPLANTED", secret: "planted-secret-123", sessionToken: "planted-token-456")
        var dumped = ""
        dump(credential, to: &dumped)
        for text in ["\(credential)", String(reflecting: credential), dumped] {
            #expect(!text.contains("planted-secret-123"))
            #expect(!text.contains("planted-token-456"))
            #expect(text.contains("<redacted>") || text.contains("S3Credential"))
        }
        let environment = ["AWS_ACCESS_KEY_ID": "AKIDPLANTED", "AWS_SECRET_ACCESS_KEY": "planted-secret-123",
                           "AWS_SESSION_TOKEN": "planted-token-456"]
        let endpoint = try S3Endpoint(url: "s3://bucket/prefix", options: S3EndpointOptions(endpointURL: "http://127.0.0.1:9"),
                                      credentials: S3CredentialSources(environment: environment), connectionCount: 1)
        var endpointDump = ""
        dump(endpoint, to: &endpointDump)
        for text in [endpoint.redactedDescription, "\(endpoint)", endpointDump] {
            #expect(!text.contains("planted-secret-123") && !text.contains("planted-token-456"))
        }
        // A request that fails in transport: its error must not carry the secret either.
        do {
            _ = try endpoint.stat("x")
            Issue.record("expected a connection failure")
        } catch let error as FerryError {
            let text = "\(error.message) \(error.cause ?? "")"
            #expect(error.code == .network)
            #expect(!text.contains("planted-secret-123") && !text.contains("planted-token-456"))
        }
    }
}
