import ArgumentParser
import Foundation
import FerryKit

extension Ferry.Login {
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Shows which Azure credential would be used, for which principal, and what it may do at a URL.",
            discussion: """
            Signs in as `ferry copy` would and prints the credential, the principal its token names (tenant, \
            client ID, object ID; never the token) and when the token expires. With a URL, also tries a \
            listing and harmless requests on a blob name that does not exist (read properties, set metadata, \
            delete) and prints whether each is allowed; a refusal names the role that would allow it.

            Exit codes: 0 signed in (whatever the URL allows); 3 the sign-in failed or the service refused the \
            credential itself; 64 usage error.

            Examples:
              $ ferry login status
              $ ferry login status https://acct.blob.core.windows.net/datasets --auth entra
              $ ferry login status https://127.0.0.1:10443/devstoreaccount1/datasets --ca-file ca.pem --output-type json
            """)

        @Argument(help: "An http(s) Azure Blob URL to check access at (default: only sign in).")
        var url: String?

        @Option(name: .customLong("output-type"), help: "text: one line per fact; json: one JSON object on stdout.")
        var outputType: ProgressReporter.Format = .text

        @OptionGroup(title: "Authentication") var auth: AuthOptions

        func run() async throws {
            let sources = AzureCredentialSources(environment: ProcessInfo.processInfo.environment, bearerTokenFile: auth.bearerTokenFile,
                                                 authMode: auth.authMode, caFile: auth.caFile)
            let url = url
            do {
                if let url, try EndpointLocation(url).kind != .remote {
                    throw FerryError(.usage, "'\(Redaction.url(url))' is not an Azure Blob URL", disposition: .abortJob)
                }
                let status = try await BlockingWork.run { try AzureSignInStatus.check(url: url, sources: sources) }
                let text = outputType == .json ? LoginStatusOutput.json(status) : LoginStatusOutput.text(status, now: Date())
                FileHandle.standardOutput.write(Data((text + "\n").utf8))
                if status.credentialRefused { throw CommandFailure.authentication }
            } catch let error as FerryError {
                throw CommandFailure.exitCode(for: error)
            }
        }
    }
}
