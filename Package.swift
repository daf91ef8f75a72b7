// swift-tools-version: 6.0
// Ringlite: an embeddable, SQLite-compatible database engine.
// VM holds the value conversions and the pure SQL functions, ported from SQLite 3.40.1.
import PackageDescription

let package = Package(
    name: "Ringlite",
    targets: [
        .target(name: "VM"),
        .testTarget(name: "VMTests", dependencies: ["VM"]),
    ],
    swiftLanguageModes: [.v6]
)
