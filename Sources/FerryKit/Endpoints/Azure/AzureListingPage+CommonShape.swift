import Foundation

/// A List Blobs page read straight from its bytes when it has the shape the service sends:
/// elements and text only, a `Name` without attributes. Element names are matched as bytes at
/// their place in the document, never turned into Strings; only the texts a listing keeps are
/// decoded. Anything else (CDATA, comments, an encoded name, a malformed or cut-off document)
/// returns nil and the page goes through `AzureXMLScanner`, which reads every shape and reports
/// what is wrong. A no-op sync of 200,000 blobs parsed 900 MB of listing XML through the scanner's
/// per-element callbacks at a quarter of its CPU. Pure; safe from any thread.
extension AzureListingPage {
    private enum Element {
        case root, blobs, nextMarker, blob, blobPrefix, blobName, prefixName, properties, metadata
        case property(KeptProperty)
        case metadataEntry
        /// Anything else: read past, its content ignored.
        case skipped
    }

    private struct Open {
        let element: Element
        let nameStart: Int
        let nameCount: Int
        /// Where the element's content starts (after its start tag's `>`).
        let contentStart: Int
        var hasChildren = false
    }

    static func parseCommonShape(_ data: Data) -> AzureListingPage? {
        data.withUnsafeBytes { raw in
            parseCommonShape(raw.bindMemory(to: UInt8.self))
        }
    }

    private static func parseCommonShape(_ bytes: UnsafeBufferPointer<UInt8>) -> AzureListingPage? {
        guard let base = bytes.baseAddress else { return nil }
        let start = UnsafeRawPointer(base)
        let count = bytes.count
        var page = AzureListingPage()
        var current = Blob(name: "")
        var stack: [Open] = []
        stack.reserveCapacity(8)
        var sawRoot = false
        var index = 0

        func position(_ pointer: UnsafeMutableRawPointer) -> Int { start.distance(to: UnsafeRawPointer(pointer)) }
        // A byte, not a Character: `Character.asciiValue` walks Unicode scalars, and it was a
        // fifth of this reader's time.
        func find(_ byte: UInt8, from offset: Int) -> Int? {
            memchr(base + offset, Int32(byte), count - offset).map(position)
        }
        /// The element's text, its references replaced; nil if one is malformed.
        func text(of open: Open, endingAt end: Int) -> String? {
            try? AzureXMLScanner.decode(UnsafeBufferPointer(start: base + open.contentStart, count: end - open.contentStart))
        }
        /// What closing `open` means for the page; false when its content is not what this reader
        /// takes (elements inside a kept text, a malformed reference).
        func finish(_ open: Open, contentEnd: Int) -> Bool {
            switch open.element {
            case .root, .blobs, .blobPrefix, .properties, .metadata, .skipped:
                return true
            case .blob:
                page.blobs.append(current)
                return true
            case .blobName, .prefixName, .nextMarker, .property, .metadataEntry:
                guard !open.hasChildren, let value = text(of: open, endingAt: contentEnd) else { return false }
                switch open.element {
                case .blobName: current.name = value
                case .prefixName: page.prefixes.append(value)
                case .nextMarker: page.nextMarker = value.isEmpty ? nil : value
                case .property(let property): property.apply(value, to: &current)
                default:
                    current.metadata[lowercasedName(UnsafeBufferPointer(start: base + open.nameStart, count: open.nameCount))] = value
                }
                return true
            }
        }

        while index < count, let tag = find(UInt8(ascii: "<"), from: index) {
            guard tag + 1 < count else { return nil }
            let next = bytes[tag + 1]
            // Comments, CDATA, doctypes and processing instructions inside the document are the
            // scanner's job; the declaration before the root is skipped.
            if next == UInt8(ascii: "!") { return nil }
            guard let end = find(UInt8(ascii: ">"), from: tag) else { return nil }
            if next == UInt8(ascii: "?") {
                guard !sawRoot else { return nil }
                index = end + 1
                continue
            }
            if next == UInt8(ascii: "/") {
                // An end tag closes the open element, byte for byte.
                guard let open = stack.popLast(), end - (tag + 2) == open.nameCount,
                      memcmp(base + tag + 2, base + open.nameStart, open.nameCount) == 0,
                      finish(open, contentEnd: tag) else { return nil }
                index = end + 1
                if stack.isEmpty { break }
                continue
            }
            let selfClosing = bytes[end - 1] == UInt8(ascii: "/")
            let tagEnd = selfClosing ? end - 1 : end
            let nameStart = tag + 1
            var nameEnd = nameStart
            while nameEnd < tagEnd, !isSpace(bytes[nameEnd]) { nameEnd += 1 }
            var rest = nameEnd
            while rest < tagEnd, isSpace(bytes[rest]) { rest += 1 }
            // Only the root carries attributes here (ServiceEndpoint, ContainerName); an attribute
            // anywhere else (`<Name Encoded="true">`) sends the page to the scanner.
            guard nameEnd > nameStart, rest == tagEnd || !sawRoot else { return nil }
            let name = UnsafeBufferPointer(start: base + nameStart, count: nameEnd - nameStart)
            let element: Element
            if let parent = stack.last {
                element = child(named: name, of: parent.element)
                stack[stack.count - 1].hasChildren = true
            } else {
                guard !sawRoot, equals(name, "EnumerationResults") else { return nil }
                element = .root
                sawRoot = true
            }
            if case .blob = element { current = Blob(name: "") }
            if selfClosing {
                let empty = Open(element: element, nameStart: nameStart, nameCount: name.count, contentStart: end)
                guard finish(empty, contentEnd: end) else { return nil }
            } else {
                stack.append(Open(element: element, nameStart: nameStart, nameCount: name.count, contentStart: end + 1))
            }
            index = end + 1
        }
        // After the root only text may follow here (the scanner judges anything else).
        guard sawRoot, stack.isEmpty, index >= count || find(UInt8(ascii: "<"), from: index) == nil else { return nil }
        return page
    }

    private static func child(named name: UnsafeBufferPointer<UInt8>, of parent: Element) -> Element {
        switch parent {
        case .root:
            if equals(name, "Blobs") { return .blobs }
            if equals(name, "NextMarker") { return .nextMarker }
            return .skipped
        case .blobs:
            if equals(name, "Blob") { return .blob }
            if equals(name, "BlobPrefix") { return .blobPrefix }
            return .skipped
        case .blob:
            if equals(name, "Name") { return .blobName }
            if equals(name, "Properties") { return .properties }
            if equals(name, "Metadata") { return .metadata }
            return .skipped
        case .blobPrefix:
            return equals(name, "Name") ? .prefixName : .skipped
        case .properties:
            if equals(name, "Content-Length") { return .property(.contentLength) }
            if equals(name, "Last-Modified") { return .property(.lastModified) }
            if equals(name, "Etag") { return .property(.etag) }
            if equals(name, "Content-Type") { return .property(.contentType) }
            if equals(name, "Content-MD5") { return .property(.contentMD5) }
            return .skipped
        case .metadata:
            return .metadataEntry
        case .nextMarker, .blobName, .prefixName, .property, .metadataEntry, .skipped:
            return .skipped
        }
    }

    private static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        literal.utf8CodeUnitCount == bytes.count && memcmp(bytes.baseAddress!, literal.utf8Start, bytes.count) == 0
    }

    /// A metadata name as the listing keeps it, lowercased; ASCII (what HTTP headers carry) byte
    /// by byte, without the String a general `lowercased()` builds first.
    private static func lowercasedName(_ name: UnsafeBufferPointer<UInt8>) -> String {
        guard name.allSatisfy({ $0 < 0x80 }) else { return String(decoding: name, as: UTF8.self).lowercased() }
        return String(unsafeUninitializedCapacity: name.count) { key in
            for (index, byte) in name.enumerated() {
                key[index] = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
            }
            return name.count
        }
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 10 || byte == 13 }
}
