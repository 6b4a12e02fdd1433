import ArgumentParser
import Foundation
import FerryKit

/// What `ferry copy` and `ferry sync` share once their options are read: open both sides (off
/// the cooperative pool: it blocks), remember the S3 service for a resume, print a dry run or
/// record the job, then run it. `makeSetup` is `JobSetup.newCopy` or `JobSetup.newSync`.
enum JobLaunch {
    static func run(source: String, destination: String, options: FerryKit.TransferOptions, dryRun: Bool,
                    output: OutputOptions, auth: AuthOptions, s3: S3Options, receiptFile: String?,
                    makeSetup: @escaping @Sendable (String, String, FerryKit.TransferOptions, @escaping EndpointOpener) throws -> JobSetup,
                    printDryRun: @escaping @Sendable (JobSetup, ProgressReporter.Format) throws -> Void) async throws {
        let s3Options = s3.given ?? S3EndpointOptions()
        let opening = EndpointOpening(bearerTokenFile: auth.bearerTokenFile, connectionCount: options.concurrency ?? 32,
                                      s3Options: s3Options, flushesToDisk: options.flushesToDisk == true,
                                      azureSignIn: auth.signIn)
        let format = output.outputType
        do {
            let prepared = try await BlockingWork.run { () -> (JobSetup, SQLiteManifestStore)? in
                var setup = try makeSetup(source, destination, options, opening.opener())
                if options.blockBlobTier != nil && !setup.destination.capabilities.acceptsBlockBlobTier {
                    throw FerryError(.usage, "--block-blob-tier applies to Azure Blob destinations only; "
                                     + "\(setup.destination.redactedDescription) is not one", disposition: .abortJob)
                }
                if try [source, destination].contains(where: { try EndpointLocation($0).kind == .s3 }) {
                    setup.spec.s3Options = s3Options  // so a resume reopens the same service
                }
                setup.spec.azureSignIn = auth.signIn.recorded  // so a resume signs in the same way
                if dryRun {
                    try printDryRun(setup, format)
                    return nil
                }
                let home = FerryHome.fromEnvironment(ProcessInfo.processInfo.environment)
                return (setup, try setup.createStore(home: home, commandLine: CommandLine.arguments))
            }
            guard let (setup, store) = prepared else { return }
            // The job's options as recorded (a sync made them recursive); a resume gets the same.
            let code = await JobRun.execute(setup: setup, store: store, options: setup.spec.options, output: output,
                                            receiptFile: receiptFile)
            if code != .success { throw code }
        } catch let error as FerryError {
            throw CommandFailure.exitCode(for: error, verbose: output.logLevel == .debug)
        }
    }
}
