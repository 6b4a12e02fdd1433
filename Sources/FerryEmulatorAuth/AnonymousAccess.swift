/// Decides anonymous requests (no Authorization header, no SAS) from the container's public
/// access level, as `x-ms-blob-public-access` defines it: `container` allows blob reads and
/// listing the container; `blob` allows blob reads only; `none` allows nothing. Stateless.
///
/// Refusals are 401 `NoAuthenticationInformation`. Azure answers some anonymous reads of private
/// data with 404 `ResourceNotFound` to hide what exists, but a local emulator has nothing to hide,
/// and 401 makes azure-storage-blob raise `ClientAuthenticationError` ("authenticate") rather than
/// `ResourceNotFoundError`, which would send someone looking for a missing blob that is there.
enum AnonymousAccess {
    static func decide(_ requirement: AccessRequirement, publicAccess: PublicAccess) -> Result<Principal, AuthRejection> {
        let allowed = switch publicAccess {
        case .container: requirement.isAnonymousReadable || requirement.isContainerList
        case .blob: requirement.isAnonymousReadable && !requirement.isContainerList
        case .none: false
        }
        if allowed { return .success(.anonymous) }
        let why = switch publicAccess {
        case .none: "The resource is not public"
        case .blob: "The container allows anonymous reads of blobs only"
        case .container: "The container allows anonymous reads and listing only"
        }
        return .failure(.noAuthenticationInformation(
            "\(why); send Shared Key, a SAS or a bearer token (anonymous requests are refused unless the container is public)."))
    }
}
