import ArgumentParser

extension Ferry {
    struct Jobs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lists, inspects, resumes and removes recorded jobs.",
            discussion: """
            Every copy is recorded in $FERRY_HOME/jobs/<job-id>.db (default ~/.ferry). The record holds \
            paths, sizes, block checksums and redacted endpoints, never a SAS, key or token: a resumed job \
            takes its credentials again from a fresh URL (--source/--destination) or the environment.

            Examples:
              $ ferry jobs list
              $ ferry jobs show 20261124-221500-0a1b2c
              $ ferry jobs resume 20261124-221500-0a1b2c --destination 'http://127.0.0.1:10000/…?<SAS>'
              $ ferry jobs clean --all
            """,
            subcommands: [List.self, Show.self, Resume.self, Clean.self])
    }
}
