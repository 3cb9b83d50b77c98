import Narratives
import Questions
import Store
import Support

/// `pointillist questions export`: every answered question's aggregated label as an Open
/// Images V7 point-label row, and optionally the label names (class-descriptions layout).
public struct ExportJob {
    public struct Options: Sendable {
        public var database: String
        public var out: String
        /// Where the label names go; nil: not written.
        public var classes: String?
        public var aggregation = AggregationRequest()

        public init(database: String, out: String) {
            self.database = database
            self.out = out
        }
    }

    public struct Report: Sendable {
        public var rows: Int
        public var yes: Int
        /// The rule the labels were aggregated by, and whether it is the one `questions next` recorded.
        public var rule: AggregationRule
        public var ruleIsRecorded: Bool
        /// Label names written, when `classes` was given.
        public var labelNames: Int?
    }

    public var options: Options

    public init(options: Options) {
        self.options = options
    }

    public func run() throws -> Report {
        let corpus = try Corpus.existing(options.database)
        let classes = try corpus.classesByID()
        let recorded = try corpus.aggregationRule()
        let rule = options.aggregation.resolved(recorded: recorded)
        let aggregated = Aggregation.aggregate(try corpus.answers(), rule: rule)
        var rows: [ExportRow] = []
        for q in try corpus.questions() {
            guard let a = aggregated[q.id] else { continue }
            let c = classes[q.classID]
            rows.append(
                ExportRow(question: q, label: a.label, votes: a.votes, mid: c?.openImagesMIDs.first, className: c?.name ?? "class \(q.classID)"))
        }
        try FileSystem.writeAtomically(to: options.out) { try $0.write(PointLabelExport.csv(rows)) }
        var report = Report(rows: rows.count, yes: rows.filter { $0.estimatedYesNo == "yes" }.count, rule: rule, ruleIsRecorded: rule == recorded)
        if let path = options.classes {
            try FileSystem.writeAtomically(to: path) { try $0.write(PointLabelExport.classDescriptions(rows)) }
            report.labelNames = Set(rows.map(\.label)).count
        }
        return report
    }
}
