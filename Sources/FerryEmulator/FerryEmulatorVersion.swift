/// The emulator's version, printed by `--version` and sent in the `Server` header.
public enum FerryEmulatorVersion {
    public static let string = "0.1.0"
}
