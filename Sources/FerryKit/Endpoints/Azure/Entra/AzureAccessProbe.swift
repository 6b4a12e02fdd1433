import FerryHTTP
import Foundation

/// Finds out what a credential may do at a location with requests that change nothing:
/// - list: List Blobs, at most one result;
/// - read: Get Blob Properties of a blob name that does not exist (a 404 means reading is allowed);
/// - write: Set Blob Metadata on that name (404: writing is allowed; nothing is created);
/// - delete: Delete Blob on that name (404: deleting is allowed).
/// The service checks permission before it looks for the blob, so a refusal is a 403 and an
/// allowed request a 404. One attempt each. Safe from any thread (the client is).
struct AzureAccessProbe {
    let client: AzureBlobClient

    func run() -> [(operation: String, access: AzureSignInStatus.Access)] {
        let absent = client.location.blobName(for: ".ferry-access-probe-\(UUID().uuidString.lowercased())")
        return [
            ("list", probe("GET", blobName: nil, query: [("restype", "container"), ("comp", "list"), ("maxresults", "1")],
                           allowed: [200], operation: "listing")),
            ("read", probe("HEAD", blobName: absent, allowed: [200, 404], operation: "reading the properties of")),
            ("write", probe("PUT", blobName: absent, query: [("comp", "metadata")], headers: [HTTPHeader("x-ms-meta-ferryprobe", "1")],
                            allowed: [200, 404], operation: "setting metadata on")),
            ("delete", probe("DELETE", blobName: absent, allowed: [202, 404], operation: "deleting")),
        ]
    }

    private func probe(_ method: String, blobName: String?, query: [(String, String)] = [], headers: [HTTPHeader] = [],
                       allowed: Set<Int>, operation: String) -> AzureSignInStatus.Access {
        do {
            let response = try client.send(method, blobName: blobName, query: query, headers: headers, operation: operation)
            if allowed.contains(response.status) {
                // A container that does not exist answers 404 too: that says nothing about permission.
                if response.status == 404, AzureErrorClassifier.serviceCode(of: response) == "ContainerNotFound" {
                    return .unknown("the container does not exist")
                }
                return .allowed
            }
            let error = AzureErrorClassifier.error(for: response, operation: operation, target: client.describe(blobName: blobName))
            if response.status == 401 { return .credentialRefused(error.message) }
            return response.status == 403 ? .denied(error.message) : .unknown(error.message)
        } catch let error as FerryError {
            // Bearer refusals arrive thrown (`AzureBearerRefusal`): a 401 is the token, a 403 a missing role.
            guard error.code == .authenticationFailed else { return .unknown(error.message) }
            return error.message.contains("(401 ") ? .credentialRefused(error.message) : .denied(error.message)
        } catch {
            return .unknown("\(error)")
        }
    }
}
