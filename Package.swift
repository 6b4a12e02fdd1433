// swift-tools-version:6.0
// Ferry: moves AI datasets between local disks and cloud object storage.
// Layers (see README "Architecture"): FerryCLI → FerryKit (Planner → Manifest → Engine → Endpoints)
// → FerryHTTP (libcurl). The emulator (FerryEmulator*) shares only FerryChecksums with the client.
import PackageDescription

let nio: [Target.Dependency] = [
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOPosix", package: "swift-nio"),
    .product(name: "NIOHTTP1", package: "swift-nio"),
]
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")

let package = Package(
    name: "Ferry",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ferry", targets: ["FerryCLI"]),
        .executable(name: "ferry-emulator", targets: ["FerryEmulatorCLI"]),
        .library(name: "FerryKit", targets: ["FerryKit"]),
        .library(name: "FerryEmulator", targets: ["FerryEmulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // TLS for the emulator only (its issuer and blob endpoint over https); the client uses libcurl.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // System libraries (Debian: libssl-dev, libcurl4-openssl-dev, libsqlite3-dev).
        .systemLibrary(name: "COpenSSLCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        // C: CRC-64/NVME kernels, and the libcurl shim (no logic, one wrapper per argument kind).
        .target(name: "CFerryCRC64", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "CFerryCurlShim", dependencies: ["CCurl"]),
        // C: Linux file calls Swift does not import (early writeback of downloaded blocks).
        .target(name: "CFerryFileIO"),

        // Checksum primitives shared by client and emulator (CRC-64/NVME, MD5, SHA-256, HMAC).
        .target(name: "FerryChecksums", dependencies: ["CFerryCRC64", "COpenSSLCrypto"]),

        // The emulator: its own auth, parsing and XML; nothing shared with the client but checksums.
        // Its Entra ID issuer signs and checks RS256 JWTs with libcrypto; its server speaks TLS with NIOSSL.
        .target(name: "FerryEmulatorAuth", dependencies: ["FerryChecksums", "COpenSSLCrypto"]),
        .target(name: "FerryEmulator", dependencies: ["FerryEmulatorAuth", "FerryChecksums", logging,
                                                      .product(name: "NIOSSL", package: "swift-nio-ssl")] + nio),
        .executableTarget(name: "FerryEmulatorCLI", dependencies: ["FerryEmulator", argumentParser]),

        // The client.
        .target(name: "FerryHTTP", dependencies: ["CFerryCurlShim"]),
        .target(name: "FerryKit", dependencies: ["FerryHTTP", "FerryChecksums", "CFerryFileIO", "CSQLite", "COpenSSLCrypto", logging]),
        .executableTarget(name: "FerryCLI", dependencies: ["FerryKit", argumentParser]),

        .testTarget(name: "FerryChecksumsTests", dependencies: ["FerryChecksums"]),
        .testTarget(name: "FerryEmulatorAuthTests", dependencies: ["FerryEmulatorAuth"]),
        .testTarget(name: "FerryEmulatorTests", dependencies: ["FerryEmulator"]),
        .testTarget(name: "FerryHTTPTests", dependencies: ["FerryHTTP"]),
        .testTarget(name: "FerryKitTests", dependencies: ["FerryKit"], exclude: ["CLI/Snapshots"]),
    ]
)
