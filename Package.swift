// swift-tools-version: 6.0
// Ringlite's B-tree on-disk format layer: varints, values, records, collations and
// comparison, and the B-tree page layout. No external dependencies.
import PackageDescription

let package = Package(
    name: "Ringlite",
    targets: [
        .target(name: "BTree"),
        .testTarget(name: "BTreeTests", dependencies: ["BTree"]),
    ],
    swiftLanguageModes: [.v6]
)
