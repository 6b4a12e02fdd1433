import Foundation

/// The settings of one AWS profile, merged from the shared `config` and `credentials` files
/// (values in `credentials` win). Value type; safe to share between threads.
struct S3Profile: Sendable {
    var name: String
    /// Keys lower-cased (`aws_access_key_id`, `region`, `endpoint_url`, `s3.addressing_style`, …).
    var values: [String: String]

    /// Loads the profile `AWS_PROFILE` names (else `default`). A profile named in `AWS_PROFILE`
    /// that neither file has is a usage error (a typo must not fall back to other credentials);
    /// a missing `default` is simply empty.
    static func load(from sources: S3CredentialSources) throws -> S3Profile {
        let environment = sources.environment
        let explicitName = environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 }
        let name = explicitName ?? "default"
        let home = sources.homeDirectory
        let credentialsPath = environment["AWS_SHARED_CREDENTIALS_FILE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? home.map { $0 + "/.aws/credentials" }
        let configPath = environment["AWS_CONFIG_FILE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? home.map { $0 + "/.aws/config" }

        var found = false
        var values: [String: String] = [:]
        if let configPath, let text = read(configPath), let section = S3ProfileFile.parse(text, isConfigFile: true)[name] {
            found = true
            values.merge(section) { _, new in new }
        }
        if let credentialsPath, let text = read(credentialsPath),
           let section = S3ProfileFile.parse(text, isConfigFile: false)[name] {
            found = true
            values.merge(section) { _, new in new }
        }
        if explicitName != nil, !found {
            throw FerryError(.usage, "the AWS profile '\(name)' (AWS_PROFILE) is in neither the credentials nor the config file: check its name",
                             disposition: .abortJob)
        }
        return S3Profile(name: name, values: values)
    }

    private static func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }
}
