/// Joins a redacted root (which may keep a redacted query) and a relative path for display:
/// `https://host/c/prefix?sv=…` + `a/b` → `https://host/c/prefix/a/b?sv=…`. Pure.
public enum DisplayPath {
    public static func join(_ root: String, _ relative: String) -> String {
        guard !relative.isEmpty else { return root }
        var base = root
        var query = ""
        if let mark = root.firstIndex(of: "?") {
            base = String(root[..<mark])
            query = String(root[mark...])
        }
        return (base.hasSuffix("/") ? base : base + "/") + relative + query
    }
}
