import Foundation
import FerryKit

/// Opens endpoints for the front end: local paths as `LocalEndpoint`, `http(s)://` URLs as
/// `AzureBlobEndpoint` with the process environment and `--bearer-token-file`. The one place the
/// CLI names a backend; the engine never does.
struct EndpointOpening {
    var bearerTokenFile: String?
    var connectionCount: Int

    func opener() -> EndpointOpener {
        let credentials = AzureCredentialSources(environment: ProcessInfo.processInfo.environment, bearerTokenFile: bearerTokenFile)
        let connections = connectionCount
        return { location in
            switch location.kind {
            case .local: return LocalEndpoint(root: location.original)
            case .remote: return try AzureBlobEndpoint(url: location.original, credentials: credentials, connectionCount: connections)
            }
        }
    }
}
