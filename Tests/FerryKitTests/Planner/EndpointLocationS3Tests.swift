import Foundation
import Testing
@testable import FerryKit

/// `s3://` and presigned URLs as command-line locations: the path-mapping facts the planner uses.
@Suite struct EndpointLocationS3Tests {
    @Test func bucketAndPrefixes() throws {
        let bucket = try EndpointLocation("s3://datasets")
        #expect(bucket.kind == .s3)
        #expect(bucket.isContainerRoot)
        #expect(bucket.lastComponent == "datasets")
        #expect(bucket.root == "s3://datasets")

        let prefix = try EndpointLocation("s3://datasets/v2/corpus")
        #expect(!prefix.isContainerRoot && !prefix.endsWithSlash)
        #expect(prefix.lastComponent == "corpus")

        let slash = try EndpointLocation("s3://datasets/v2/")
        #expect(slash.endsWithSlash && !slash.isContainerRoot)
        #expect(try EndpointLocation("s3://datasets/").isContainerRoot)
    }

    @Test func keysAreLiteralAndWildcardsAreContents() throws {
        let literal = try EndpointLocation("s3://b/a%20b/file?.bin")
        #expect(literal.lastComponent == "file?.bin")  // no query, no percent-decoding in s3:// keys

        let contents = try EndpointLocation("s3://b/dir/*")
        #expect(contents.isContentsWildcard)
        #expect(contents.original == "s3://b/dir")
    }

    @Test func presignedURLsAreS3ObjectsNotContainers() throws {
        let url = "http://127.0.0.1:8333/bucket/data/x.bin?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc123"
        let presigned = try EndpointLocation(url)
        #expect(presigned.kind == .remote && presigned.isPresignedS3)
        #expect(!presigned.isContainerRoot)
        #expect(presigned.lastComponent == "x.bin")
        #expect(!presigned.redacted.contains("abc123"))
        #expect(try !EndpointLocation("http://127.0.0.1:10000/acct/c?sv=1&sig=zzz").isPresignedS3)
    }

    @Test func otherSchemesAreUsageErrors() {
        #expect { _ = try EndpointLocation("gs://bucket/x") } throws: { ($0 as? FerryError)?.code == .usage }
    }
}
