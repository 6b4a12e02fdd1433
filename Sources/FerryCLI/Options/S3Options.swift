import ArgumentParser
import FerryKit

extension S3Addressing: ExpressibleByArgument {}

/// Which S3-compatible service `s3://` URLs go to. Credentials are never flags: they come from
/// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN) or ~/.aws profiles.
struct S3Options: ParsableArguments {
    @Option(name: .customLong("s3-endpoint"),
            help: ArgumentHelp("S3 service URL for s3:// URLs, e.g. http://127.0.0.1:8333 (default: AWS_ENDPOINT_URL_S3, "
                               + "AWS_ENDPOINT_URL, else https://s3.REGION.amazonaws.com).", valueName: "url"))
    var endpoint: String?

    @Option(name: .customLong("s3-addressing"),
            help: ArgumentHelp("Put the bucket in the URL path or in the host name (default: auto — virtual for AWS, "
                               + "path for IP addresses, localhost and custom endpoints).", valueName: "mode"))
    var addressing: S3Addressing?

    @Option(name: .customLong("s3-region"),
            help: ArgumentHelp("Signing region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile, else us-east-1).",
                               valueName: "region"))
    var region: String?

    func validate() throws {
        if let endpoint {
            let lower = endpoint.lowercased()
            guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
                throw ValidationError("--s3-endpoint must be an http:// or https:// URL")
            }
        }
    }

    /// The settings given on this command line; nil when none was.
    var given: S3EndpointOptions? {
        guard endpoint != nil || addressing != nil || region != nil else { return nil }
        return S3EndpointOptions(endpointURL: endpoint, addressing: addressing ?? .auto, region: region)
    }

    /// Flags given now over what the job recorded (`ferry jobs resume`, `ferry jobs clean`).
    func over(_ recorded: S3EndpointOptions?) -> S3EndpointOptions {
        var options = recorded ?? S3EndpointOptions()
        if let endpoint { options.endpointURL = endpoint }
        if let addressing { options.addressing = addressing }
        if let region { options.region = region }
        return options
    }
}
