/// The Content-Type a blob gets from its file name, so browsers and HTTP clients reading the
/// dataset see sensible types. Pure; safe from any thread. Unknown names get
/// `application/octet-stream`.
public enum ContentType {
    static let byExtension: [String: String] = [
        "json": "application/json", "jsonl": "application/jsonl", "ndjson": "application/x-ndjson",
        "txt": "text/plain", "md": "text/markdown", "csv": "text/csv", "tsv": "text/tab-separated-values",
        "html": "text/html", "xml": "application/xml", "yaml": "application/yaml", "yml": "application/yaml",
        "parquet": "application/vnd.apache.parquet", "arrow": "application/vnd.apache.arrow.file",
        "avro": "application/avro", "gz": "application/gzip", "zst": "application/zstd", "tar": "application/x-tar",
        "zip": "application/zip", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp",
        "gif": "image/gif", "wav": "audio/wav", "mp3": "audio/mpeg", "flac": "audio/flac", "mp4": "video/mp4",
        "pdf": "application/pdf", "npy": "application/octet-stream", "safetensors": "application/octet-stream",
    ]

    public static func guess(path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "application/octet-stream" }
        return byExtension[name[name.index(after: dot)...].lowercased()] ?? "application/octet-stream"
    }
}
