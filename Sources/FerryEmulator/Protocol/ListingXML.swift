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
        var xml = XMLBytes(capacity: 1024 + entries.count * 900)
        xml.raw("<?xml version=\"1.0\" encoding=\"utf-8\"?><EnumerationResults ServiceEndpoint=\"")
        xml.escaped(serviceEndpoint)
        xml.raw("\" ContainerName=\"")
        xml.escaped(container)
        xml.raw("\">")
        xml.raw(echoed(echo))
        xml.raw("<Blobs>")
        for entry in entries {
            switch entry {
            case .prefix(let name):
                xml.raw("<BlobPrefix>")
                nameElement(name, encodes: encodesNames, to: &xml)
                xml.raw("</BlobPrefix>")
            case .blob(let record, let isCommitted):
                xml.raw("<Blob>")
                nameElement(record.name, encodes: encodesNames, to: &xml)
                xml.raw("<Properties>")
                properties(record, isCommitted: isCommitted, to: &xml)
                xml.raw("</Properties>")
                if includeMetadata { metadata(record.metadata, to: &xml) }
                xml.raw("</Blob>")
            }
        }
        xml.raw("</Blobs><NextMarker>")
        xml.escaped(nextMarker ?? "")
        xml.raw("</NextMarker></EnumerationResults>")
        return xml.string
    }

    private static func properties(_ record: BlobRecord, isCommitted: Bool, to xml: inout XMLBytes) {
        let settings = record.settings
        xml.raw("<Creation-Time>")
        xml.httpDate(record.creationTime)
        xml.raw("</Creation-Time><Last-Modified>")
        xml.httpDate(record.lastModified)
        xml.raw("</Last-Modified>")
        if isCommitted {
            xml.raw("<Etag>")
            xml.raw(record.etag)
            xml.raw("</Etag>")
        }
        xml.raw("<Content-Length>")
        xml.decimal(Int64(record.size))
        xml.raw("</Content-Length><Content-Type>")
        xml.escaped(settings.contentType ?? (isCommitted ? "application/octet-stream" : ""))
        xml.raw("</Content-Type><Content-Encoding>")
        xml.escaped(settings.contentEncoding ?? "")
        xml.raw("</Content-Encoding><Content-Language>")
        xml.escaped(settings.contentLanguage ?? "")
        xml.raw("</Content-Language><Content-MD5>")
        xml.escaped(settings.contentMD5 ?? "")
        xml.raw("</Content-MD5><Content-Disposition>")
        xml.escaped(settings.contentDisposition ?? "")
        xml.raw("</Content-Disposition><Cache-Control>")
        xml.escaped(settings.cacheControl ?? "")
        xml.raw("</Cache-Control><BlobType>BlockBlob</BlobType>")
        if isCommitted { xml.raw(tier(record)) }
        xml.raw("<LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState><ServerEncrypted>")
        xml.raw(isCommitted ? "true" : "false")
        xml.raw("</ServerEncrypted>")
    }

    /// `<Name>`, or `<Name Encoded="true">` with percent-encoded UTF-8 for a name XML 1.0
    /// cannot carry (U+FFFE, U+FFFF; `BlobNameRules`).
    private static func nameElement(_ name: String, encodes: Bool, to xml: inout XMLBytes) {
        guard encodes, BlobNameRules.needsEncoding(name) else {
            xml.raw("<Name>")
            xml.escaped(name)
            xml.raw("</Name>")
            return
        }
        xml.raw("<Name Encoded=\"true\">")
        xml.raw(BlobNameRules.percentEncoded(name))
        xml.raw("</Name>")
    }

    private static func metadata(_ entries: [MetadataEntry], to xml: inout XMLBytes) {
        xml.raw("<Metadata>")
        for entry in entries {
            xml.raw("<")
            xml.raw(entry.name)
            xml.raw(">")
            xml.escaped(entry.value)
            xml.raw("</")
            xml.raw(entry.name)
            xml.raw(">")
        }
        xml.raw("</Metadata>")
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
