import ArgumentParser
import FerryKit

/// Credentials besides a SAS in the URL, and the CAs to trust. Nothing secret here is ever written
/// to the job database (the chosen `--auth` and `--ca-file` path are, so a resume signs in the same way).
struct AuthOptions: ParsableArguments {
    @Option(name: .customLong("auth"),
            help: ArgumentHelp("Use only this kind of Azure credential (default: the chain in `ferry copy --help`).",
                               valueName: "kind"))
    var authMode: AzureAuthMode?

    @Option(name: .customLong("bearer-token-file"),
            help: "Read a Microsoft Entra ID bearer token from this file (default: the chain in `ferry copy --help`).")
    var bearerTokenFile: String?

    @Option(name: .customLong("ca-file"),
            help: ArgumentHelp("Trust the CA certificates in this PEM file for Azure and the token issuer (default: SSL_CERT_FILE, CURL_CA_BUNDLE, else the system's).",
                               valueName: "pem"))
    var caFile: String?

    /// The sign-in settings given on this command line.
    var signIn: AzureSignInSettings { AzureSignInSettings(authMode: authMode, caFile: caFile) }
}

extension AzureAuthMode: ExpressibleByArgument {}
