import ArgumentParser
import Foundation
import FerryKit

extension Ferry {
    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copies files or blobs from a source to a destination.",
            discussion: """
            Each side is a local path, an http(s) Azure Blob URL (credentials below) or s3://BUCKET/PREFIX (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY \
            or ~/.aws profiles; --s3-endpoint for S3-compatible services; a presigned https URL as a source). \
            Files over one block go up in parallel blocks; every block and file is checked with CRC-64; a job \
            cut off resumes with `ferry jobs resume ID`.

            Paths follow azcopy: a directory SRC lands as DST/SRC/… (needs --recursive); SRC/* copies its \
            contents into DST; a single file to an existing directory or a URL ending in / keeps its name, \
            otherwise DST names the file. Symbolic links in a local source are skipped. A job that completes \
            writes a receipt (path, size and CRC-64 of every file, and a root hash) to \
            $FERRY_HOME/jobs/<job-id>.receipt.jsonl, and to --receipt FILE; check it later with `ferry verify`.

            Azure credentials, the first that applies: a SAS in the URL; AZURE_STORAGE_CONNECTION_STRING; \
            AZURE_STORAGE_ACCOUNT + AZURE_STORAGE_KEY; --bearer-token-file, AZURE_STORAGE_TOKEN; Microsoft Entra ID \
            with AZURE_TENANT_ID + AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH or \
            AZURE_FEDERATED_TOKEN_FILE; a managed identity (IDENTITY_ENDPOINT + IDENTITY_HEADER, or \
            AZURE_POD_IDENTITY_AUTHORITY_HOST); anonymous. --auth sas|key|entra|anonymous keeps to one kind; \
            entra also tries the VM's metadata service, then `az login`. AZURE_AUTHORITY_HOST names the authority. \
            Tokens are renewed during the job and go only over https (or to 127.0.0.1); see `ferry login status`.

            Across machines: N copies of the same command with --shard 0/N … N-1/N (or --shard auto under a Slurm \
            array, a Kubernetes Indexed Job with --shard-count, or RANK/WORLD_SIZE) each list the source, split it \
            the same way by bytes (largest file first onto the lightest part) and move their part as a job of their \
            own; `ferry receipt merge` joins their receipts into the one a single machine would have written.

            Exit codes: 0 all files done; 1 some files failed; 2 cancelled but resumable; 3 authentication \
            or authorization failure; 64 usage error.

            Examples (against the local emulator, and a local SeaweedFS on port 8333):
              $ ferry copy ./corpus http://127.0.0.1:10000/devstoreaccount1/datasets --recursive
              $ ferry copy './corpus/*' http://127.0.0.1:10000/devstoreaccount1/datasets/v2/ -r --cap-mbps 800
              $ ferry copy http://127.0.0.1:10000/devstoreaccount1/datasets/corpus ./restore -r
              $ ferry copy ./corpus s3://datasets/v2/ -r --s3-endpoint http://127.0.0.1:8333 --receipt corpus.receipt.jsonl
              $ ferry copy s3://datasets/v2/corpus ./restore -r --s3-endpoint http://127.0.0.1:8333
            """)

        @Argument(help: "Local path, http(s) URL or s3:// URL to copy from; end it in /* to copy a directory's contents.")
        var source: String

        @Argument(help: "Local path, http(s) URL or s3:// URL to copy to.")
        var destination: String

        @OptionGroup(title: "Copy") var copy: CopyOptions
        @OptionGroup(title: "Transfer") var transfer: TransferOptions
        @OptionGroup(title: "Filters") var filters: FilterOptions
        @OptionGroup(title: "Output") var output: OutputOptions
        @OptionGroup(title: "Receipt") var receipt: ReceiptOptions
        @OptionGroup(title: "Sharding") var sharding: ShardOptions
        @OptionGroup(title: "Authentication") var auth: AuthOptions
        @OptionGroup(title: "S3") var s3: S3Options

        func run() async throws {
            var chosen: FerryKit.TransferOptions
            do {
                chosen = try transfer.libraryOptions(filters: filters)
                chosen.shard = try sharding.resolve()
            } catch let error as FerryError {
                throw CommandFailure.exitCode(for: error)
            }
            chosen.recursive = copy.recursive
            chosen.overwrite = copy.overwrite
            try await JobLaunch.run(source: source, destination: destination, options: chosen, dryRun: transfer.dryRun,
                                    output: output, auth: auth, s3: s3, receiptFile: receipt.receiptFile,
                                    makeSetup: { try JobSetup.newCopy(source: $0, destination: $1, options: $2, open: $3) },
                                    printDryRun: { try DryRunOutput.print($0, format: $1) })
        }
    }
}
