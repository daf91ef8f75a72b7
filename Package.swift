// swift-tools-version: 6.0
// Ringlite: an embeddable, SQLite-compatible database engine for Linux, doing its IO through io_uring.
// The module map and the one-way dependency rule are in DESIGN.md (Ringlite -> SQL -> VM -> BTree ->
// Pager -> CUring); a module appears here when its first real code lands.
import PackageDescription

let package = Package(
    name: "Ringlite",
    products: [
        .library(name: "Ringlite", targets: ["Ringlite"]),
        .executable(name: "ringlite", targets: ["RingliteCLI"]),
        .executable(name: "bench", targets: ["Bench"]),
        .executable(name: "simulator", targets: ["Simulator"]),
        // libFuzzer targets; scripts/fuzz.sh builds them with -sanitize=fuzzer. A normal build
        // makes replay drivers of them that run corpus files (see Fuzz/Sources/*/Entry.swift).
        .executable(name: "fuzz-sql-parser", targets: ["FuzzSQLParser"]),
        .executable(name: "fuzz-database-file", targets: ["FuzzDatabaseFile"]),
        .executable(name: "fuzz-wal-file", targets: ["FuzzWALFile"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        .target(
            name: "CUring",
            linkerSettings: [.linkedLibrary("uring")]
        ),
        .target(
            name: "Pager",
            dependencies: [
                "CUring",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "BTree",
            dependencies: ["Pager"]
        ),
        .target(
            name: "VM",
            dependencies: ["BTree"]
        ),
        .target(
            name: "SQL",
            dependencies: ["VM"]
        ),
        .target(
            name: "Ringlite",
            dependencies: ["SQL", "VM", "BTree", "Pager"]
        ),
        .executableTarget(
            name: "RingliteCLI",
            dependencies: [
                "Ringlite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .executableTarget(
            name: "Bench",
            dependencies: [
                "Ringlite",
                "Pager",
                "BTree",
                "CSQLite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        .executableTarget(
            name: "Simulator",
            dependencies: [
                "Ringlite",
                "Pager",
                "CSQLite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "SimulatorTests",
            dependencies: ["Simulator"]
        ),
        .target(
            name: "FuzzSupport",
            dependencies: ["SQL", "VM", "BTree", "Pager"],
            path: "Fuzz/Sources/FuzzSupport"
        ),
        .executableTarget(
            name: "FuzzSQLParser",
            dependencies: ["FuzzSupport", "SQL", "VM", "BTree", "Pager"],
            path: "Fuzz/Sources/FuzzSQLParser"
        ),
        .executableTarget(
            name: "FuzzDatabaseFile",
            dependencies: ["FuzzSupport", "SQL", "VM", "BTree", "Pager"],
            path: "Fuzz/Sources/FuzzDatabaseFile"
        ),
        .executableTarget(
            name: "FuzzWALFile",
            dependencies: ["FuzzSupport", "SQL", "VM", "BTree", "Pager"],
            path: "Fuzz/Sources/FuzzWALFile"
        ),
        .testTarget(
            name: "PagerTests",
            dependencies: ["Pager"]
        ),
        .testTarget(
            name: "BTreeTests",
            dependencies: ["BTree"]
        ),
        .testTarget(
            name: "SQLTests",
            dependencies: ["SQL", "Pager", "BTree", "VM"]
        ),
        .testTarget(
            name: "VMTests",
            dependencies: ["VM", "BTree"]
        ),
        .testTarget(
            name: "RingliteTests",
            dependencies: ["Ringlite", "CSQLite"]
        ),
        .testTarget(
            name: "BenchTests",
            dependencies: [
                "Bench",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        .testTarget(
            name: "CompilerTests",
            dependencies: ["SQL", "VM", "BTree", "Pager", "CSQLite"],
            // sqllogictest files, read from the source tree by the tests (see SQLLogicTestTests).
            exclude: ["SQLLogicTest/suites"]
        ),
    ]
)
