// Skeleton: the emulator server lives here (see README "Architecture").
public enum FerryEmulatorVersion {
    public static let string = "0.1.0"
}
