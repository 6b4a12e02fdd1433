import Foundation

/// The AWS shared `credentials` and `config` files (INI): `[section]` headers and `key = value`
/// lines. In `config`, profiles are `[profile NAME]` (and `[default]`); in `credentials` they are
/// `[NAME]`. Indented lines continue a nested block (`s3 =` followed by `  addressing_style = …`)
/// and are kept as `parent.key`. Comments start with `#` or `;`. Stateless; thread-safe.
enum S3ProfileFile {
    /// Sections by name, each with its keys lower-cased. `isConfigFile` turns `profile NAME` into
    /// `NAME` and drops other section kinds (`sso-session`, `services`).
    static func parse(_ text: String, isConfigFile: Bool) -> [String: [String: String]] {
        var sections: [String: [String: String]] = [:]
        var current: String?
        var nestedParent: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let isIndented = rawLine.first == " " || rawLine.first == "\t"
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                current = sectionName(String(line.dropFirst().dropLast()), isConfigFile: isConfigFile)
                nestedParent = nil
                if let current, sections[current] == nil { sections[current] = [:] }
                continue
            }
            guard let section = current, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if isIndented, let parent = nestedParent {
                sections[section]?["\(parent).\(key)"] = value
            } else if value.isEmpty {
                nestedParent = key
            } else {
                nestedParent = nil
                sections[section]?[key] = value
            }
        }
        return sections
    }

    private static func sectionName(_ header: String, isConfigFile: Bool) -> String? {
        let words = header.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard isConfigFile else { return header.trimmingCharacters(in: .whitespaces) }
        if words == ["default"] { return "default" }
        if words.count == 2, words[0] == "profile" { return words[1] }
        return nil
    }
}
