import ArgumentParser
import FerryKit

@main
struct Ferry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ferry",
        abstract: "Moves datasets between local disks, Azure Blob Storage and S3.", version: "0.1.0")
}
