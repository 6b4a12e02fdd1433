extension BlobService {
    /// Set Blob Tier (`PUT ?comp=tier`, `x-ms-access-tier` required): 200 when the new tier
    /// applies at once, 202 when an archived blob is brought back online (a rehydration, which the
    /// service takes hours for and this emulator completes at once).
    func setBlobTier(_ context: RequestContext) async throws -> ServiceResponse {
        guard let tier = try context.accessTier else { throw ServiceError.missingHeader("x-ms-access-tier") }
        let (container, blob) = (context.container, context.blob)
        let rehydrated = try await onPool { [store] in try store.setTier(container, blob, to: tier) }
        return ServiceResponse(status: rehydrated ? 202 : 200)
    }
}
