import CFerryCurlShim
// Skeleton: the libcurl-backed HTTP client lives here.
public enum FerryHTTPVersion { public static let string = "0.1.0" }
