import Narratives
import Store
import Support

/// Word-segment settings asked for on the command line; nil keeps the corpus's recorded value
/// (or the default, in a new corpus).
public struct SegmentOverrides: Sendable, Equatable {
    public var margin: Float?
    public var minimumPoints: Int?
    public var outOfImage: OutOfImagePolicy?

    public init(margin: Float? = nil, minimumPoints: Int? = nil, outOfImage: OutOfImagePolicy? = nil) {
        self.margin = margin
        self.minimumPoints = minimumPoints
        self.outOfImage = outOfImage
    }

    /// These settings over `base`.
    public func applied(to base: TraceSegmenter) -> TraceSegmenter {
        TraceSegmenter(
            margin: margin ?? base.margin, minimumPoints: minimumPoints ?? base.minimumPoints,
            outOfImage: outOfImage ?? base.outOfImage)
    }
}

/// `pointillist ingest`: the input files into the corpus, then the rejected lines of these
/// files into the rejects file.
public struct IngestJob {
    public struct Options: Sendable {
        /// Files, directories or glob patterns (`FileSystem.expandInputs`).
        public var inputs: [String]
        public var database: String
        /// Where rejected lines go; nil: beside the database, `<name>.rejects.jsonl`.
        public var rejects: String?
        public var segments = SegmentOverrides()
        public var ingest = IngestOptions()

        public init(inputs: [String], database: String) {
            self.inputs = inputs
            self.database = database
        }
    }

    /// What the run did, for the summary.
    public struct Report: Sendable {
        public var ingest: IngestReport
        public var files: [SourceFile]
        public var corpus: (narratives: Int, images: Int)
        /// The rejects file, when these files have rejected lines.
        public var rejectsPath: String?
        public var seconds: Double
        public var bytes: Int64 { files.reduce(0) { $0 + $1.size } }
    }

    /// The corpus records the segment settings of its first ingest; a later ingest that asks
    /// for others is refused (every stored count and later stage uses the recorded ones).
    public struct SettingsConflict: Error, CustomStringConvertible {
        public var recorded: TraceSegmenter
        public var asked: TraceSegmenter

        public var description: String {
            """
            this corpus records word-segment settings from its first ingest (\(Self.describe(recorded))), \
            and every stored count and later stage uses them; asked for \(Self.describe(asked)). \
            Leave out --margin, --min-points and --out-of-image to ingest with the recorded settings, \
            or ingest into a new corpus (--db) to use others.
            """
        }

        static func describe(_ s: TraceSegmenter) -> String {
            "--margin \(s.margin) --min-points \(s.minimumPoints) --out-of-image \(s.outOfImage.rawValue)"
        }
    }

    public var options: Options

    public init(options: Options) {
        self.options = options
    }

    /// Runs the ingest. `progress` and `onReject` are the `Ingester`'s.
    public func run(
        progress: ((IngestProgress) -> Void)? = nil, onReject: ((RejectedLine) -> Void)? = nil
    ) throws -> Report {
        let clock = ContinuousClock()
        let started = clock.now
        let files = try FileSystem.expandInputs(options.inputs)
        let path = options.rejects ?? DefaultPaths.besideDatabase(options.database, suffix: ".rejects.jsonl")
        for output in [path, path + ".tsv", options.database] {
            if let input = files.first(where: { FileSystem.isSameFile($0.path, output) }) {
                throw PointillistError("\(output) is the input file \(input.path): writing there would overwrite it; choose another path")
            }
        }
        let corpus = try Corpus(path: options.database)
        var ingest = options.ingest
        let recorded = try corpus.segmenter()
        ingest.segmenter = options.segments.applied(to: recorded)
        if try corpus.hasSegmentSettings(), ingest.segmenter != recorded {
            throw SettingsConflict(recorded: recorded, asked: ingest.segmenter)
        }
        let report = try Ingester(corpus: corpus, options: ingest).run(files, progress: progress, onReject: onReject)
        let seconds = (clock.now - started) / .seconds(1)
        let sourceIDs = try corpus.sources().filter { s in files.contains { $0.path == s.path } }.map(\.id)
        let rejected = try corpus.rejects(sourceIDs: sourceIDs)
        if !rejected.isEmpty { try RejectsFile.write(rejected, to: path) }
        return Report(ingest: report, files: files, corpus: try corpus.size(), rejectsPath: rejected.isEmpty ? nil : path, seconds: seconds)
    }
}
