import Foundation
import FerryKit

/// Opens endpoints for the front end: local paths as `LocalEndpoint`; `s3://` URLs and presigned
/// `https://…?X-Amz-Signature=…` URLs as `S3Endpoint` (AWS_* variables, ~/.aws); other
/// `http(s)://` URLs as `AzureBlobEndpoint` (the process environment, `--bearer-token-file`,
/// `--auth`, `--ca-file`).
/// The one place the CLI names a backend; the engine never does.
struct EndpointOpening {
    var bearerTokenFile: String?
    var connectionCount: Int
    var s3Options = S3EndpointOptions()
    /// `--fsync` (from the job's options, so a resume keeps it).
    var flushesToDisk = false
    /// `--auth` and `--ca-file` for Azure sides (a resume: as recorded, unless given again).
    var azureSignIn = AzureSignInSettings()

    func opener() -> EndpointOpener {
        let environment = ProcessInfo.processInfo.environment
        let credentials = AzureCredentialSources(environment: environment, bearerTokenFile: bearerTokenFile,
                                                 authMode: azureSignIn.authMode, caFile: azureSignIn.caFile)
        let s3Credentials = S3CredentialSources(environment: environment,
                                                homeDirectory: environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path)
        let (connections, s3Options, flushesToDisk) = (connectionCount, s3Options, flushesToDisk)
        return { location in
            switch location.kind {
            case .local:
                return LocalEndpoint(root: location.original, flushesToDisk: flushesToDisk)
            case .s3:
                return try S3Endpoint(url: location.original, options: s3Options, credentials: s3Credentials, connectionCount: connections)
            case .remote where location.isPresignedS3:
                return try S3Endpoint(url: location.original, options: s3Options, credentials: s3Credentials, connectionCount: connections)
            case .remote:
                return try AzureBlobEndpoint(url: location.original, credentials: credentials, connectionCount: connections)
            }
        }
    }
}
