import Store
import Support
import Vocabulary

/// `pointillist vocab build`: the class dictionary from the corpus's captions, stored in the
/// corpus with every mention of its classes, and written as the dictionary TSV (ids kept from
/// the TSV already there).
public struct VocabularyJob {
    public struct Options: Sendable {
        public var database: String
        /// nil: beside the database, `<name>.dictionary.tsv`.
        public var dictionary: String?
        public var settings = DictionaryOptions()
        /// Counts files of the corpus's shards (`CountJob`): the dictionary is decided from
        /// their merged tally instead of a first pass over this corpus (one of the shards).
        public var counts: [String] = []

        public init(database: String) {
            self.database = database
        }

        public var dictionaryPath: String { dictionary ?? DefaultPaths.besideDatabase(database, suffix: ".dictionary.tsv") }
    }

    public struct Report: Sendable {
        public var dictionary: ClassDictionary
        public var build: VocabularyReport
        public var path: String
        /// Classes that questions already ask about and this build no longer keeps: their
        /// batches and exports name them by id only from now on.
        public var droppedAsked: [(id: Int, name: String, questions: Int)] = []
    }

    public var options: Options
    public var extractor: MentionExtractor
    public var openImages: OpenImagesMapping?

    public init(options: Options, extractor: MentionExtractor, openImages: OpenImagesMapping?) {
        self.options = options
        self.extractor = extractor
        self.openImages = openImages
    }

    /// `progress` gets the phase, narratives done and the total.
    public func run(progress: ((VocabularyBuild.Phase, Int, Int) -> Void)? = nil) throws -> Report {
        let corpus = try Corpus.existing(options.database)
        // The earlier dictionary, retired classes too: its ids are kept, and never given to
        // another class (nor are ids this corpus's classes and questions used).
        let before = try DictionaryFile.entries(options.dictionaryPath)
        let previous = DictionaryFile.ids(of: before, lexicon: extractor.lexicon)
        let build = VocabularyBuild(extractor: extractor, options: options.settings, openImages: openImages)
        let counts = try mergedCounts()
        let asked = try corpus.questionCountsByClass()
        let names = asked.isEmpty ? [:] : ((try? corpus.classesByID()) ?? [:]).mapValues(\.name)
        let (dictionary, report) = try build.run(
            corpus: corpus, previousIDs: previous, idsUsedUpTo: try corpus.highestClassID(), counts: counts, progress: progress)
        let kept = Set(dictionary.classes.map(\.id))
        let retired = Dictionary(before.filter { !kept.contains($0.id) }.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }).values
        try DictionaryFile.write(dictionary.classes, retired: Array(retired), to: options.dictionaryPath)
        let dropped = asked.filter { !kept.contains($0.key) }.sorted { $0.key < $1.key }
            .map { (id: $0.key, name: names[$0.key] ?? "class \($0.key)", questions: $0.value) }
        return Report(dictionary: dictionary, build: report, path: options.dictionaryPath, droppedAsked: dropped)
    }

    /// The tally of the counts files, nil when none is given.
    func mergedCounts() throws(PointillistError) -> DictionaryTally? {
        guard !options.counts.isEmpty else { return nil }
        var tally = DictionaryTally()
        for path in options.counts { tally.merge(try DictionaryCountsFile.read(path, lexicon: extractor.lexicon)) }
        return tally
    }
}

/// `pointillist vocab count`: the first pass of a dictionary build alone, the tally of one
/// corpus (a shard) written as a counts file for `vocab build --counts` to merge.
public struct CountJob {
    public var database: String
    public var output: String
    public var extractor: MentionExtractor

    public init(database: String, output: String, extractor: MentionExtractor) {
        self.database = database
        self.output = output
        self.extractor = extractor
    }

    /// Writes the counts file; returns the tally.
    public func run(progress: ((VocabularyBuild.Phase, Int, Int) -> Void)? = nil) throws -> DictionaryTally {
        let corpus = try Corpus.existing(database)
        let build = VocabularyBuild(extractor: extractor, options: DictionaryOptions(), openImages: nil)
        let tally = try build.count(corpus: corpus, progress: progress)
        let text = DictionaryCountsFile.text(of: tally, lexicon: extractor.lexicon)
        try FileSystem.writeAtomically(to: output) { (sink) throws(PointillistError) in try sink.write(text) }
        return tally
    }
}
