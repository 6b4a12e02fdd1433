import ArgumentParser
import FerryEmulator

@main
struct FerryEmulatorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ferry-emulator",
        abstract: "Serves a local Azure Blob Storage account on 127.0.0.1.")
    func run() throws { print("ferry-emulator \(FerryEmulatorVersion.string)") }
}
