import ArgumentParser
import Foundation
import FerryKit

extension Ferry.Jobs {
    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Resumes a cancelled, failed or interrupted job, sending only what is missing.",
            discussion: """
            Files already done are skipped; a large file continues from the blocks the destination \
            acknowledged (S3: the parts ListParts still shows). Credentials are not stored: pass fresh \
            URLs with a new SAS, or set the AZURE_STORAGE_* / AZURE_CLIENT_* / AWS_* variables again; an \
            Entra ID sign-in is made again the same way (the job's --auth and --ca-file are kept). S3 sides reopen \
            against the service the job was started with unless --s3-endpoint etc. are given again.
            """)

        @Argument(help: "The job ID (see `ferry jobs list`).")
        var jobID: String

        @Option(help: "The source again, e.g. with a fresh SAS (default: the recorded source, without credentials).")
        var source: String?

        @Option(help: "The destination again, e.g. with a fresh SAS (default: the recorded destination, without credentials).")
        var destination: String?

        @Option(help: "Parallel requests (default: as the job was started, else scaled to the machine).")
        var concurrency: Int?

        @Option(name: .customLong("cap-mbps"), help: "Limit throughput to this many megabits per second (default: as the job was started).")
        var capMbps: Double?

        @OptionGroup(title: "Output") var output: OutputOptions
        @OptionGroup(title: "Authentication") var auth: AuthOptions
        @OptionGroup(title: "S3") var s3: S3Options

        func run() async throws {
            let home = FerryHome.fromEnvironment(ProcessInfo.processInfo.environment)
            let (jobID, source, destination, concurrency, capMbps) = (jobID, source, destination, concurrency, capMbps)
            let (bearerTokenFile, signIn) = (auth.bearerTokenFile, auth.signIn)
            let s3 = s3
            do {
                // Opening the job database and endpoints blocks: not on the cooperative pool.
                let prepared = try await BlockingWork.run { () -> (JobSetup, SQLiteManifestStore, FerryKit.TransferOptions)? in
                    let store = try SQLiteManifestStore.openExisting(home: home, jobID: jobID)
                    do {
                        if try store.currentJobState().state == .completed {
                            store.close()
                            FileHandle.standardOutput.write(Data("Job \(jobID) is already complete.\n".utf8))
                            return nil
                        }
                        var options = store.job.spec.options
                        if let concurrency { options.concurrency = concurrency }
                        if let capMbps { options.capMbps = capMbps }
                        let opening = EndpointOpening(bearerTokenFile: bearerTokenFile, connectionCount: options.concurrency ?? 32,
                                                      s3Options: s3.over(store.job.spec.s3Options),
                                                      flushesToDisk: options.flushesToDisk == true,
                                                      azureSignIn: (store.job.spec.azureSignIn ?? AzureSignInSettings()).overridden(by: signIn))
                        let setup = try JobSetup.resume(job: store.job, sourceOverride: source, destinationOverride: destination,
                                                        open: opening.opener())
                        return (setup, store, options)
                    } catch {
                        store.close()
                        throw error
                    }
                }
                guard let (setup, store, options) = prepared else { return }
                let code = await JobRun.execute(setup: setup, store: store, options: options, output: output)
                if code != .success { throw code }
            } catch let error as FerryError {
                throw CommandFailure.exitCode(for: error, verbose: output.logLevel == .debug)
            }
        }
    }
}
