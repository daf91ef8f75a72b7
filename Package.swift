// swift-tools-version: 6.0
// Ringlite's SQL module. This branch carries only the parser front end (lexer, AST, parser,
// renderer); the engine's other modules join the manifest when they land on main.
import PackageDescription

let package = Package(
    name: "Ringlite",
    targets: [
        .target(name: "SQL"),
        .testTarget(name: "SQLTests", dependencies: ["SQL"]),
    ],
    swiftLanguageModes: [.v6]
)
