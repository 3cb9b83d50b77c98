import Imaging
import Questions
import Store
import Support

/// `pointillist stats`: Yes point labels per class (or mentions per class), most frequent
/// first, on log-log axes (the Zipf curve), written as PNG.
public struct StatsJob {
    public struct Options: Sendable {
        public var database: String
        public var out: String
        /// Mentions per class instead of Yes point labels (no answers needed).
        public var mentions = false

        public init(database: String, out: String) {
            self.database = database
            self.out = out
        }

        /// What is counted, as the chart and the summary name it.
        public var counted: String { mentions ? "mentions" : "Yes point labels" }
    }

    public struct Report: Sendable {
        public var classesCounted: Int
        public var total: Int
    }

    public var options: Options

    public init(options: Options) {
        self.options = options
    }

    public func run() throws -> Report {
        let corpus = try Corpus.existing(options.database)
        let classes = try corpus.storedDictionary().classes
        var counts: [Int: Int] = [:]
        if options.mentions {
            for c in classes { counts[c.id] = c.mentions }
        } else {
            let labels = Aggregation.aggregate(try corpus.answers(), rule: try corpus.aggregationRule() ?? AggregationRule())
            for q in try corpus.questions() where labels[q.id]?.label == .yes { counts[q.classID, default: 0] += 1 }
        }
        let named = classes.map { (name: $0.name, count: counts[$0.id] ?? 0) }
        let chart = Chart.zipf(
            counts: named, title: "\(options.counted) per class", unit: options.mentions ? ("mention", "mentions") : ("label", "labels"))
        try FileSystem.writeAtomically(to: options.out) { try $0.write(PNGFile.encode(chart)) }
        return Report(classesCounted: named.filter { $0.count > 0 }.count, total: named.reduce(0) { $0 + $1.count })
    }
}
