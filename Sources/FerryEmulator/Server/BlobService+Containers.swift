import NIOCore

extension BlobService {
    func createContainer(_ context: RequestContext) async throws -> ServiceResponse {
        let access = context.header("x-ms-blob-public-access")?.lowercased() ?? "none"
        guard ["none", "blob", "container"].contains(access) else {
            throw ServiceError.invalidHeader("x-ms-blob-public-access", access)
        }
        let metadata = try context.metadata
        let name = context.container
        let record = try await onPool { [store] in try store.createContainer(name, metadata: metadata, publicAccess: access) }
        return ServiceResponse(status: 201, headers: ResponseHeaders.written(etag: record.etag, lastModified: record.lastModified))
    }

    func getContainerProperties(_ context: RequestContext) throws -> ServiceResponse {
        guard let record = store.container(context.container) else { throw ServiceError.containerNotFound() }
        var headers = ResponseHeaders.written(etag: record.etag, lastModified: record.lastModified)
        headers += ResponseHeaders.metadata(record.metadata)
        headers += [("x-ms-lease-status", "unlocked"), ("x-ms-lease-state", "available"),
                    ("x-ms-has-immutability-policy", "false"), ("x-ms-has-legal-hold", "false"),
                    ("x-ms-default-encryption-scope", "$account-encryption-key"),
                    ("x-ms-deny-encryption-scope-override", "false")]
        if record.publicAccess != "none" { headers.append(("x-ms-blob-public-access", record.publicAccess)) }
        return ServiceResponse(status: 200, headers: headers)
    }

    func deleteContainer(_ context: RequestContext) async throws -> ServiceResponse {
        let conditions = try context.conditions
        let name = context.container
        try await onPool { [store] in try store.deleteContainer(name, conditions: conditions) }
        return ServiceResponse(status: 202)
    }

    func setContainerMetadata(_ context: RequestContext) async throws -> ServiceResponse {
        let metadata = try context.metadata
        let conditions = try context.conditions
        let name = context.container
        let record = try await onPool { [store] in
            try store.setContainerMetadata(name, metadata: metadata, conditions: conditions)
        }
        return ServiceResponse(status: 200, headers: ResponseHeaders.written(etag: record.etag, lastModified: record.lastModified))
    }

    func listContainers(_ context: RequestContext) throws -> ServiceResponse {
        let maxResults = try Self.maxResults(context)
        let page = store.listContainers(prefix: context.query("prefix"), marker: context.query("marker"), maxResults: maxResults)
        let includeMetadata = (context.query("include") ?? "").lowercased().split(separator: ",").contains("metadata")
        let echo = ListingXML.Echo(prefix: context.query("prefix"), marker: context.query("marker"),
                                   maxResults: context.query("maxresults"))
        let xml = ListingXML.containers(serviceEndpoint: context.serviceEndpoint, echo: echo, containers: page.containers,
                                        includeMetadata: includeMetadata, nextMarker: page.nextMarker)
        return .xml(200, xml)
    }

    func listBlobs(_ context: RequestContext) async throws -> ServiceResponse {
        let maxResults = try Self.maxResults(context)
        let include = Set((context.query("include") ?? "").lowercased().split(separator: ",").map { $0.trimmingSpaces() })
        let (name, prefix, delimiter, marker) = (context.container, context.query("prefix"), context.query("delimiter"),
                                                 context.query("marker"))
        let startName = try ListingMarker.read(marker)
        let page = try await onPool { [store] in
            try store.listBlobs(name, prefix: prefix, delimiter: delimiter, marker: startName, maxResults: maxResults,
                                includeUncommitted: include.contains("uncommittedblobs"))
        }
        // Echoed values and markers stay valid XML whatever a name holds (`ListingMarker`).
        let echo = ListingXML.Echo(prefix: ListingMarker.echoable(prefix), marker: ListingMarker.echoable(marker),
                                   maxResults: context.query("maxresults"), delimiter: ListingMarker.echoable(delimiter))
        let xml = ListingXML.blobs(serviceEndpoint: context.serviceEndpoint, container: name, echo: echo, entries: page.entries,
                                   includeMetadata: include.contains("metadata"), nextMarker: ListingMarker.issue(page.nextMarker),
                                   encodesNames: BlobNameRules.listsEncodedNames(version: context.header("x-ms-version")))
        return .xml(200, xml)
    }

    /// `maxresults`: 1…5000, default 5000; larger values are capped at 5000 (A4).
    static func maxResults(_ context: RequestContext) throws(ServiceError) -> Int {
        guard let text = context.query("maxresults") else { return 5000 }
        guard let value = Int(text), value >= 1 else {
            throw ServiceError(status: 400, code: "OutOfRangeQueryParameterValue",
                               message: "One of the query parameters specified in the request URI is outside the permissible range.",
                               details: [("QueryParameterName", "maxresults"), ("QueryParameterValue", text)])
        }
        return min(value, 5000)
    }
}
