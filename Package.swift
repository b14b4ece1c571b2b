// swift-tools-version: 6.2
import PackageDescription

// One binary over small libraries; see README.md ("Layout") for what each target owns.
let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .treatAllWarnings(as: .error),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "scalectl",
    products: [
        .executable(name: "scalectl", targets: ["scalectl"]),
    ],
    dependencies: [],
    targets: [
        .executableTarget(name: "scalectl", dependencies: ["ScaleCLI", "ScaleCore"], swiftSettings: strict),
        .target(name: "ScaleCLI", dependencies: [
            "ScaleCore", "ScaleHTTP",
            "Availability",
            "HashRing",
            "CacheAudit",
            "HealthProbe",
            "Rebalance",
            "QueueBacklog",
            "ScaleNet",
            "QueueSources",
            "CDNLogs",
        ], swiftSettings: strict),
        .target(name: "ScaleCore", swiftSettings: strict),
        .target(name: "HealthProbe", dependencies: ["ScaleCore"], swiftSettings: strict),
        .target(name: "ScaleHTTP", dependencies: ["ScaleCore", "CCurl"], swiftSettings: strict),
        .target(name: "Availability", dependencies: ["ScaleCore"], swiftSettings: strict),
        .target(name: "CacheAudit", dependencies: ["ScaleCore"], swiftSettings: strict),
        .target(name: "Rebalance", dependencies: ["ScaleCore"], swiftSettings: strict),
        .target(name: "QueueBacklog", dependencies: ["ScaleCore"], swiftSettings: strict),
        .target(name: "ScaleNet", dependencies: ["ScaleCore"], swiftSettings: strict),
        .target(name: "QueueSources", dependencies: ["QueueBacklog", "ScaleCore", "ScaleHTTP", "ScaleNet"], swiftSettings: strict),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "HashRing", dependencies: ["ScaleCore"], swiftSettings: strict),
        .target(name: "CDNLogs", dependencies: ["ScaleCore", "CZlib", "CPrefetch"], swiftSettings: strict),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CPrefetch"),
        .target(name: "TestSupport", dependencies: ["ScaleCore"], swiftSettings: strict),
        // libFuzzer targets over every parser of untrusted bytes (Fuzz/README.md). A plain build
        // gives a replay driver; `Fuzz/fuzz.sh` builds it with -sanitize=fuzzer,address.
        .executableTarget(name: "ScaleFuzz", dependencies: [
            "ScaleCLI", "ScaleCore", "ScaleHTTP", "CDNLogs", "CacheAudit", "Availability", "QueueBacklog",
            "ScaleNet", "Rebalance", "HashRing", "HealthProbe", "TestSupport", "CZlib",
        ], path: "Fuzz/Sources/ScaleFuzz", swiftSettings: strict),
        .testTarget(name: "ScaleCoreTests", dependencies: ["ScaleCore", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "ScaleCLITests", dependencies: ["ScaleCLI", "ScaleCore", "ScaleHTTP", "CacheAudit", "HealthProbe", "Rebalance", "QueueSources", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "AvailabilityTests", dependencies: ["Availability", "ScaleCore", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "HashRingTests", dependencies: ["HashRing", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "CacheAuditTests", dependencies: ["CacheAudit", "ScaleCore", "TestSupport"], exclude: ["cache-checks.json"], swiftSettings: strict),
        .testTarget(name: "HealthProbeTests", dependencies: ["HealthProbe", "ScaleCore", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "RebalanceTests", dependencies: ["Rebalance", "ScaleCore", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "QueueBacklogTests", dependencies: ["QueueBacklog", "ScaleCore", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "ScaleNetTests", dependencies: ["ScaleNet", "ScaleCore", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "CDNLogsTests", dependencies: ["CDNLogs", "ScaleCore", "ScaleHTTP", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "ScaleHTTPTests", dependencies: ["ScaleHTTP", "ScaleCore", "TestSupport"], swiftSettings: strict),
    ]
)
