import Questions
import Store
import Support

/// `pointillist questions simulate`: the batched questions not yet answered, answered from the
/// ground-truth masks by simulated annotators, written as an answers CSV to import.
public struct SimulateJob {
    public struct Options: Sendable {
        public var database: String
        public var masks: GroundTruthMasks
        public var out: String
        public var annotators = Options.defaultAnnotators
        public static let defaultAnnotators = 3
        public var simulated = SimulatedAnnotators()

        public init(database: String, masks: GroundTruthMasks, out: String) {
            self.database = database
            self.masks = masks
            self.out = out
        }
    }

    public var options: Options

    public init(options: Options) {
        self.options = options
    }

    /// The answers written.
    public func run() throws -> Int {
        let corpus = try Corpus.existing(options.database)
        let classes = try corpus.storedDictionary().classes
        let classOf = try options.masks.mapping(to: classes.map { (id: $0.id, name: $0.name) }).classOf
        let answered = Set(try corpus.answers().map(\.questionID))
        let unanswered = try corpus.questions(batch: .batched).filter { !answered.contains($0.id) }
        let (text, count) = try options.simulated.answersCSV(
            to: unanswered, annotators: options.annotators, classOf: classOf, mask: try options.masks.loader())
        try FileSystem.writeAtomically(to: options.out) { try $0.write(text) }
        return count
    }
}
