import ArgumentParser

/// Credentials besides a SAS in the URL. Nothing here is ever written to the job database.
struct AuthOptions: ParsableArguments {
    @Option(name: .customLong("bearer-token-file"),
            help: "Read an Azure AD bearer token from this file (default: SAS in the URL, then AZURE_STORAGE_* variables).")
    var bearerTokenFile: String?
}
