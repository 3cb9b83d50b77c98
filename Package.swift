// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Pointillist",
    products: [
        .executable(name: "pointillist", targets: ["pointillist"]),
        .library(name: "Support", targets: ["Support"]),
        .library(name: "Text", targets: ["Text"]),
        .library(name: "Narratives", targets: ["Narratives"]),
        .library(name: "Lexicon", targets: ["Lexicon"]),
        .library(name: "Vocabulary", targets: ["Vocabulary"]),
        .library(name: "Imaging", targets: ["Imaging"]),
        .library(name: "Scenes", targets: ["Scenes"]),
        .library(name: "Embedding", targets: ["Embedding"]),
        .library(name: "Questions", targets: ["Questions"]),
        .library(name: "Store", targets: ["Store"]),
        .library(name: "Scoring", targets: ["Scoring"]),
        .library(name: "Pipeline", targets: ["Pipeline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        // System-library shims: a module map and a header, nothing else.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CTurboJPEG", pkgConfig: "libturbojpeg", providers: [.apt(["libturbojpeg0-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CLinux"),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        // The feature tables' row kernels, in C for an AVX2 version chosen at start-up.
        .target(name: "CFeatureRows"),
        .target(name: "CTraining"),

        // The bottom layer every stage shares: stable hashes, the seeded random stream, worker pools, platform calls.
        .target(name: "Support", dependencies: ["CLinux"]),
        // Stage 1: Localized Narratives records, JSONL reading, validation, word–trace alignment.
        // The tokenizer and word normalisation that narratives, the lexicon and mentions share.
        .target(name: "Text"),
        .target(name: "Narratives", dependencies: ["Support", "Text", "CZlib"]),
        // Stage 2a: WordNet nouns (the Princeton database or WN-LMF XML), morphology.
        .target(name: "Lexicon", dependencies: ["Support", "Text", "CLibXML2"]),
        // Stage 2b: mention extraction, tangible and dictionary filters, class dictionary, curation files.
        .target(name: "Vocabulary", dependencies: ["Support", "Text", "Narratives", "Lexicon"]),
        // Images: JPEG/PNG decoding, PNG writing, finding images by id, drawing.
        .target(name: "Imaging", dependencies: ["Support", "CTurboJPEG", "CPNG"]),
        // Generated scenes with ground truth: images, LN narratives, class masks.
        .target(name: "Scenes", dependencies: ["Support", "Text", "Imaging", "Narratives"], exclude: ["SCENES.md"]),
        // Stage 3: pixel features, the MLP and its embedding, the model file.
        .target(name: "Embedding", dependencies: ["Support", "Imaging", "COpenBLAS", "CFeatureRows", "CTraining"]),
        // Stage 4: the per-image model M, point sampling, questions, batches, answers, point labels.
        .target(name: "Questions", dependencies: ["Support", "Narratives", "Imaging", "Embedding"]),
        // The SQLite corpus: schema, migrations, and one reader and writer per table group. Persistence only.
        .target(name: "Store", dependencies: ["Support", "Narratives", "Vocabulary", "Embedding", "Questions", "CSQLite"]),
        .target(name: "Scoring", dependencies: ["Support", "Narratives", "Imaging", "Questions"]),
        // One job per stage command: options in, a report out (the CLI prints it).
        .target(
            name: "Pipeline",
            dependencies: ["Support", "Narratives", "Lexicon", "Vocabulary", "Imaging", "Scenes", "Embedding", "Questions", "Store", "Scoring"]),

        // The command-line program: argument parsing and printing only.
        .executableTarget(
            name: "pointillist",
            dependencies: [
                "Support", "Narratives", "Lexicon", "Vocabulary", "Imaging", "Scenes", "Embedding", "Questions", "Store", "Scoring", "Pipeline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Benchmark-only: pointillist's side of Benchmarks/embed.
        .executableTarget(
            name: "pointillist-embed-bench",
            dependencies: ["Support", "Imaging", "Embedding", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Benchmarks/embed/Bench"),
        .testTarget(name: "NarrativesTests", dependencies: ["Text", "Narratives"], resources: [.copy("Fixtures")]),
        .testTarget(name: "LexiconTests", dependencies: ["Lexicon", "Narratives"], exclude: ["Fixtures"]),
        .testTarget(name: "VocabularyTests", dependencies: ["Vocabulary", "Lexicon"]),
        .testTarget(name: "ImagingTests", dependencies: ["Support", "Imaging"], exclude: ["Fixtures"]),
        .testTarget(name: "ScenesTests", dependencies: ["Text", "Scenes", "Imaging", "Narratives"]),
        .testTarget(name: "EmbeddingTests", dependencies: ["Support", "Embedding", "Imaging", "CTraining"]),
        .testTarget(name: "QuestionsTests", dependencies: ["Support", "Questions", "Imaging", "Embedding", "Narratives"]),
        .testTarget(name: "SupportTests", dependencies: ["Support"]),
        .testTarget(name: "ScoringTests", dependencies: ["Support", "Imaging", "Scoring"]),
        .testTarget(
            name: "StoreTests",
            dependencies: [
                "Support", "Text", "Store", "Pipeline", "Narratives", "Lexicon", "Vocabulary", "Imaging", "Embedding", "pointillist",
                "pointillist-embed-bench",
            ],
            exclude: ["Fixtures"]),
    ]
)
