/// Human-readable sizes and rates for the progress line and summaries. Pure; safe anywhere.
public enum ByteCount {
    /// `1.5 GiB`, binary units (what file systems and `ls -h` show).
    public static func format(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var value = Double(bytes)
        var unit = 0
        while abs(value) >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }

    /// `123.4 Mb/s`, decimal megabits (what `--cap-mbps` and network links use).
    public static func rate(bytesPerSecond: Double) -> String {
        String(format: "%.1f Mb/s", bytesPerSecond * 8 / 1_000_000)
    }

    /// `1h02m`, `3m05s`, `12s`.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "--" }
        let total = Int(seconds.rounded())
        if total >= 3600 { return String(format: "%dh%02dm", total / 3600, (total % 3600) / 60) }
        if total >= 60 { return String(format: "%dm%02ds", total / 60, total % 60) }
        return "\(total)s"
    }
}
