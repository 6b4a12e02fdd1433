import Foundation

/// A destination container that does not exist yet is created, as rclone does, so that
/// `ferry copy ./corpus URL/new-container` just works.
extension AzureBlobEndpoint {
    /// Create Container; an existing container (409) is fine. A refusal (403 for a SAS without
    /// account-level create permission, 404, other 4xx) is left for the writes to report with
    /// their own, clearer messages; only a busy service (5xx, retried by the engine) throws.
    public func prepareDestination() throws {
        let operation = "creating the container"
        // A principal whose role is scoped to the container may be refused creating it, yet may write blobs.
        let response = try client.send("PUT", blobName: nil, query: [("restype", "container")], operation: operation,
                                       explainsRefusals: false)
        switch response.status {
        case 201, 409, 400..<500:
            return
        default:
            try client.require(response, [201], operation: operation, blobName: nil)
        }
    }
}
