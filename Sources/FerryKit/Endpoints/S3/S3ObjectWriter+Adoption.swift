import Foundation

/// Finding the multipart upload a run that lost its manifest left behind.
///
/// A CI runner that was replaced mid-upload leaves an unfinished multipart upload and no record
/// of its UploadId. Run again, Ferry continues the newest unfinished upload of exactly the same
/// key instead of starting a new one, and the engine reuses a part only where the part's ETag is
/// the MD5 of the source's bytes at that position (`StagedBlockReconciliation`); every other part
/// is uploaded again under its number, replacing what was there. Two writers uploading the same
/// key at once conflict with or without this: the one that completes last decides the object.
extension S3ObjectWriter {
    /// The UploadId of the newest unfinished multipart upload of this key, if there is one.
    func newestUnfinishedUpload() throws -> String? {
        var newest: S3MultipartUploadsPage.Upload?
        var keyMarker: String?
        var uploadIDMarker: String?
        let operation = "looking for unfinished uploads of"
        while true {
            var query = [("uploads", ""), ("prefix", key), ("max-uploads", "1000")]
            if let keyMarker { query.append(("key-marker", keyMarker)) }
            if let uploadIDMarker { query.append(("upload-id-marker", uploadIDMarker)) }
            let response = try client.send("GET", key: nil, query: query, operation: operation)
            // Credentials that may write but not list uploads (no s3:ListBucketMultipartUploads),
            // or a store without the call: start a new upload, as if none were found.
            if [403, 405, 501].contains(response.status) { return nil }
            try client.require(response, [200], operation: operation, key: key)
            let page: S3MultipartUploadsPage
            do {
                page = try S3MultipartUploadsPage.parse(response.body)
            } catch {
                throw FerryError(.protocolViolation, "\(operation) \(client.describe(key: key)) failed: the upload list is not valid XML",
                                 disposition: .retry, cause: "\(error)")
            }
            for upload in page.uploads where upload.key == key && !upload.uploadID.isEmpty {
                if newest.map({ upload.initiated > $0.initiated }) ?? true { newest = upload }
            }
            // Uploads come ordered by key, and this key sorts first under its own prefix: once a
            // page ends past it, or the answer is complete, no later page can hold one of its uploads.
            guard page.isTruncated, page.uploads.last?.key == key,
                  let nextKey = page.nextKeyMarker, let nextUploadID = page.nextUploadIDMarker,
                  nextKey != keyMarker || nextUploadID != uploadIDMarker else { break }
            keyMarker = nextKey
            uploadIDMarker = nextUploadID
        }
        return newest?.uploadID
    }
}
