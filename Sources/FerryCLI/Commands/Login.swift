import ArgumentParser

extension Ferry {
    struct Login: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Shows how Ferry signs in to Azure Blob Storage.",
            discussion: """
            Ferry signs in by itself from the environment (see `ferry copy --help` for the order): there is \
            nothing to log in to beforehand, and no token is ever stored. `ferry login status` says which \
            credential would be used and what it may do.
            """,
            subcommands: [Status.self])
    }
}
