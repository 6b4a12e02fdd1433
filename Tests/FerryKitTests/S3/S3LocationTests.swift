import Foundation
import Testing
@testable import FerryKit

@Suite struct S3LocationTests {
    static let noProfile = S3Profile(name: "default", values: [:])

    static func resolve(_ url: String, options: S3EndpointOptions = S3EndpointOptions(), environment: [String: String] = [:],
                        profile: S3Profile = noProfile) throws -> S3Location {
        guard case .bucket(let bucket, let prefix) = try S3URL(parsing: url) else {
            throw FerryError(.internal, "not a bucket URL", disposition: .abortJob)
        }
        return try S3Location.resolve(bucket: bucket, prefix: prefix, options: options, environment: environment, profile: profile)
    }

    @Test func parsesBucketAndPrefix() throws {
        #expect(try S3URL(parsing: "s3://my-bucket/data/train/") == .bucket(name: "my-bucket", prefix: "data/train"))
        #expect(try S3URL(parsing: "s3://my-bucket") == .bucket(name: "my-bucket", prefix: ""))
        #expect(try S3URL(parsing: "S3://b/a b%20c") == .bucket(name: "b", prefix: "a b%20c"))
        #expect(throws: FerryError.self) { try S3URL(parsing: "s3:///prefix") }
        #expect(throws: FerryError.self) { try S3URL(parsing: "https://bucket.s3.amazonaws.com/key") }
        #expect(throws: FerryError.self) { try S3URL(parsing: "gs://bucket/key") }
    }

    @Test func presignedURLIsAcceptedAndRedacted() throws {
        let url = "https://b.s3.amazonaws.com/k.bin?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20240101%2Fus-east-1%2Fs3%2Faws4_request"
            + "&X-Amz-Date=20240101T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=deadbeefsecret"
        #expect(try S3URL(parsing: url) == .presigned(url))
        let endpoint = try S3Endpoint(url: url, options: S3EndpointOptions(), credentials: S3CredentialSources(environment: [:]),
                                      connectionCount: 1)
        #expect(!endpoint.redactedDescription.contains("deadbeefsecret"))
        #expect(!endpoint.redactedDescription.contains("AKID"))
        #expect(endpoint.credentialKind == "presigned URL")
        #expect(throws: FerryError.self) { _ = try endpoint.makeWriter(for: "", plan: ObjectWritePlan(sizeBytes: 1, blockSizeBytes: 1)) }
    }

    @Test func awsDefaultIsVirtualHostedInTheRegion() throws {
        let location = try Self.resolve("s3://my-bucket/p", environment: ["AWS_REGION": "eu-west-3"])
        #expect(location.region == "eu-west-3")
        #expect(location.serviceAuthority == "s3.eu-west-3.amazonaws.com")
        #expect(location.isVirtualHosted)
        #expect(location.requestAuthority == "my-bucket.s3.eu-west-3.amazonaws.com")
        #expect(location.encodedPath(key: nil) == "/")
        #expect(location.encodedPath(key: "p/a b.txt") == "/p/a%20b.txt")
    }

    @Test func regionPrecedence() throws {
        let profile = S3Profile(name: "default", values: ["region": "ap-south-1"])
        #expect(try Self.resolve("s3://b", profile: profile).region == "ap-south-1")
        #expect(try Self.resolve("s3://b", environment: ["AWS_DEFAULT_REGION": "us-west-1"], profile: profile).region == "us-west-1")
        #expect(try Self.resolve("s3://b", environment: ["AWS_REGION": "us-west-2", "AWS_DEFAULT_REGION": "us-west-1"]).region == "us-west-2")
        #expect(try Self.resolve("s3://b", options: S3EndpointOptions(region: "sa-east-1"),
                                 environment: ["AWS_REGION": "us-west-2"]).region == "sa-east-1")
        #expect(try Self.resolve("s3://b").region == "us-east-1")
    }

    @Test func dottedOrUppercaseBucketsUsePathStyleOnAWS() throws {
        #expect(try !Self.resolve("s3://my.dotted.bucket").isVirtualHosted)
        #expect(try !Self.resolve("s3://Legacy_Bucket").isVirtualHosted)
        let location = try Self.resolve("s3://my.dotted.bucket/x")
        #expect(location.encodedPath(key: "x/y") == "/my.dotted.bucket/x/y")
    }

    @Test func customEndpointsUsePathStyle() throws {
        let location = try Self.resolve("s3://data/prefix", environment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:8333/"])
        #expect(!location.isVirtualHosted)
        #expect(location.scheme == "http")
        #expect(location.serviceAuthority == "127.0.0.1:8333")
        #expect(location.region == "us-east-1")
        #expect(location.encodedPath(key: nil) == "/data")
        #expect(location.encodedPath(key: location.objectKey(for: "a+b.txt")) == "/data/prefix/a%2Bb.txt")
        #expect(try !Self.resolve("s3://data", options: S3EndpointOptions(endpointURL: "https://minio.example.com")).isVirtualHosted)
    }

    @Test func endpointPrecedenceAndDefaultPorts() throws {
        let environment = ["AWS_ENDPOINT_URL": "http://general:1", "AWS_ENDPOINT_URL_S3": "https://s3specific:443"]
        #expect(try Self.resolve("s3://b", environment: environment).serviceAuthority == "s3specific")
        #expect(try Self.resolve("s3://b", options: S3EndpointOptions(endpointURL: "http://Option:80"),
                                 environment: environment).serviceAuthority == "option")
        let profile = S3Profile(name: "default", values: ["endpoint_url": "http://profile:9000"])
        #expect(try Self.resolve("s3://b", profile: profile).serviceAuthority == "profile:9000")
        #expect(throws: FerryError.self) { try Self.resolve("s3://b", options: S3EndpointOptions(endpointURL: "ftp://x")) }
        #expect(throws: FerryError.self) { try Self.resolve("s3://b", options: S3EndpointOptions(endpointURL: "127.0.0.1:9000")) }
    }

    @Test func explicitAddressingWins() throws {
        let virtual = try Self.resolve("s3://b1", options: S3EndpointOptions(endpointURL: "http://localhost:9000", addressing: .virtual))
        #expect(virtual.isVirtualHosted && virtual.requestAuthority == "b1.localhost:9000")
        #expect(try !Self.resolve("s3://my-bucket", options: S3EndpointOptions(addressing: .path)).isVirtualHosted)
        let profile = S3Profile(name: "default", values: ["s3.addressing_style": "path"])
        #expect(try !Self.resolve("s3://my-bucket", profile: profile).isVirtualHosted)
        #expect(try Self.resolve("s3://my-bucket", options: S3EndpointOptions(addressing: .virtual), profile: profile).isVirtualHosted)
    }

    @Test func rootAndPathSemantics() throws {
        let rooted = try Self.resolve("s3://b/root/dir")
        #expect(rooted.objectKey(for: "") == "root/dir")
        #expect(rooted.objectKey(for: "x/y.bin") == "root/dir/x/y.bin")
        let top = try Self.resolve("s3://b")
        #expect(top.objectKey(for: "x") == "x")
        #expect(top.objectKey(for: "") == "")
        #expect(rooted.describe(key: "root/dir/x") == "s3://b/root/dir/x")
    }
}
