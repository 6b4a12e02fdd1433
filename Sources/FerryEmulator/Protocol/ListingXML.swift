/// Renders List Containers and List Blobs answers (PROTOCOLS.md A7). Pure; safe from any thread.
enum ListingXML {
    struct Echo {
        var prefix: String?
        var marker: String?
        var maxResults: String?
        var delimiter: String?
    }

    static func containers(serviceEndpoint: String, echo: Echo, containers: [ContainerRecord], includeMetadata: Bool,
                           nextMarker: String?) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?><EnumerationResults ServiceEndpoint=\"\(XMLText.escape(serviceEndpoint))\">"
        xml += echoed(echo)
        xml += "<Containers>"
        for container in containers {
            xml += "<Container><Name>\(XMLText.escape(container.name))</Name><Properties>"
            xml += "<Last-Modified>\(HTTPDate.format(container.lastModified))</Last-Modified><Etag>\"\(container.etag)\"</Etag>"
            xml += "<LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState>"
            if container.publicAccess != "none" { xml += "<PublicAccess>\(container.publicAccess)</PublicAccess>" }
            xml += "<HasImmutabilityPolicy>false</HasImmutabilityPolicy><HasLegalHold>false</HasLegalHold></Properties>"
            if includeMetadata { xml += metadata(container.metadata) }
            xml += "</Container>"
        }
        xml += "</Containers><NextMarker>\(XMLText.escape(nextMarker ?? ""))</NextMarker></EnumerationResults>"
        return xml
    }

    static func blobs(serviceEndpoint: String, container: String, echo: Echo, entries: [BlobStore.ListedEntry],
                      includeMetadata: Bool, nextMarker: String?, encodesNames: Bool = true) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?><EnumerationResults ServiceEndpoint=\"\(XMLText.escape(serviceEndpoint))\""
        xml += " ContainerName=\"\(XMLText.escape(container))\">"
        xml += echoed(echo)
        xml += "<Blobs>"
        for entry in entries {
            switch entry {
            case .prefix(let name):
                xml += "<BlobPrefix>\(nameElement(name, encodes: encodesNames))</BlobPrefix>"
            case .blob(let record, let isCommitted):
                xml += "<Blob>\(nameElement(record.name, encodes: encodesNames))<Properties>"
                xml += properties(record, isCommitted: isCommitted)
                xml += "</Properties>"
                if includeMetadata { xml += metadata(record.metadata) }
                xml += "</Blob>"
            }
        }
        xml += "</Blobs><NextMarker>\(XMLText.escape(nextMarker ?? ""))</NextMarker></EnumerationResults>"
        return xml
    }

    private static func properties(_ record: BlobRecord, isCommitted: Bool) -> String {
        let settings = record.settings
        var xml = "<Creation-Time>\(HTTPDate.format(record.creationTime))</Creation-Time>"
        xml += "<Last-Modified>\(HTTPDate.format(record.lastModified))</Last-Modified>"
        if isCommitted { xml += "<Etag>\(record.etag)</Etag>" }
        xml += "<Content-Length>\(record.size)</Content-Length>"
        xml += "<Content-Type>\(XMLText.escape(settings.contentType ?? (isCommitted ? "application/octet-stream" : "")))</Content-Type>"
        xml += "<Content-Encoding>\(XMLText.escape(settings.contentEncoding ?? ""))</Content-Encoding>"
        xml += "<Content-Language>\(XMLText.escape(settings.contentLanguage ?? ""))</Content-Language>"
        xml += "<Content-MD5>\(XMLText.escape(settings.contentMD5 ?? ""))</Content-MD5>"
        xml += "<Content-Disposition>\(XMLText.escape(settings.contentDisposition ?? ""))</Content-Disposition>"
        xml += "<Cache-Control>\(XMLText.escape(settings.cacheControl ?? ""))</Cache-Control>"
        xml += "<BlobType>BlockBlob</BlobType>"
        if isCommitted { xml += tier(record) }
        xml += "<LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState>"
        xml += "<ServerEncrypted>\(isCommitted)</ServerEncrypted>"
        return xml
    }

    /// `<Name>`, or `<Name Encoded="true">` with percent-encoded UTF-8 for a name XML 1.0
    /// cannot carry (U+FFFE, U+FFFF; `BlobNameRules`).
    private static func nameElement(_ name: String, encodes: Bool) -> String {
        guard encodes, BlobNameRules.needsEncoding(name) else { return "<Name>\(XMLText.escape(name))</Name>" }
        return "<Name Encoded=\"true\">\(BlobNameRules.percentEncoded(name))</Name>"
    }

    /// `AccessTier`, `AccessTierInferred` only for a tier never set, `AccessTierChangeTime` once set.
    private static func tier(_ record: BlobRecord) -> String {
        let reported = record.reportedTier
        var xml = "<AccessTier>\(reported.tier)</AccessTier>"
        if reported.inferred { xml += "<AccessTierInferred>true</AccessTierInferred>" }
        if let changed = record.accessTierChangeTime { xml += "<AccessTierChangeTime>\(HTTPDate.format(changed))</AccessTierChangeTime>" }
        return xml
    }

    private static func metadata(_ entries: [MetadataEntry]) -> String {
        "<Metadata>" + entries.map { "<\($0.name)>\(XMLText.escape($0.value))</\($0.name)>" }.joined() + "</Metadata>"
    }

    private static func echoed(_ echo: Echo) -> String {
        var xml = ""
        if let prefix = echo.prefix { xml += "<Prefix>\(XMLText.escape(prefix))</Prefix>" }
        if let marker = echo.marker { xml += "<Marker>\(XMLText.escape(marker))</Marker>" }
        if let maxResults = echo.maxResults { xml += "<MaxResults>\(XMLText.escape(maxResults))</MaxResults>" }
        if let delimiter = echo.delimiter { xml += "<Delimiter>\(XMLText.escape(delimiter))</Delimiter>" }
        return xml
    }
}
