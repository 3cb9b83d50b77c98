import Store
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

        public init(database: String) {
            self.database = database
        }

        public var dictionaryPath: String { dictionary ?? DefaultPaths.besideDatabase(database, suffix: ".dictionary.tsv") }
    }

    public struct Report: Sendable {
        public var dictionary: ClassDictionary
        public var build: VocabularyReport
        public var path: String
    }

    public var options: Options
    public var extractor: MentionExtractor
    public var openImages: OpenImagesClasses?

    public init(options: Options, extractor: MentionExtractor, openImages: OpenImagesClasses?) {
        self.options = options
        self.extractor = extractor
        self.openImages = openImages
    }

    /// `progress` gets the phase, narratives done and the total.
    public func run(progress: ((VocabularyBuild.Phase, Int, Int) -> Void)? = nil) throws -> Report {
        let corpus = try Corpus.existing(options.database, advice: "run `pointillist ingest` first")
        let previous = try DictionaryFile.ids(options.dictionaryPath)
        let build = VocabularyBuild(extractor: extractor, options: options.settings, openImages: openImages)
        let (dictionary, report) = try build.run(corpus: corpus, previousIDs: previous, progress: progress)
        try DictionaryFile.write(dictionary.classes, to: options.dictionaryPath)
        return Report(dictionary: dictionary, build: report, path: options.dictionaryPath)
    }
}
