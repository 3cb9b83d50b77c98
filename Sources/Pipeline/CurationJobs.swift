import Foundation
import Store
import Support
import Vocabulary

/// `pointillist vocab review`: the review sheet of the last dictionary build, as
/// `review.tsv` (to edit) and `review.html` (to read), in `folder`.
public struct ReviewJob {
    public struct Options: Sendable {
        public var database: String
        public var lexicon: LexiconSource
        public var folder: String
        /// The most frequent near-misses listed.
        public var nearMisses = Options.defaultNearMisses
        public static let defaultNearMisses = 500
        /// The minimum shown in the reasons; nil: the one the build recorded in the corpus.
        public var minimumMentions: Int?

        public init(database: String, lexicon: LexiconSource, folder: String) {
            self.database = database
            self.lexicon = lexicon
            self.folder = folder
        }
    }

    public struct Report: Sendable {
        public var tsv: String
        public var html: String
        public var rows: Int
    }

    public var options: Options

    public init(options: Options) {
        self.options = options
    }

    public func run() throws -> Report {
        let corpus = try Corpus.existing(options.database)
        let extractor = try options.lexicon.loadExtractor()
        let dictionary = try corpus.storedDictionary()
        var settings = try corpus.dictionaryOptions()
        if let minimum = options.minimumMentions { settings.minimumMentions = minimum }
        let sheet = ReviewSheet(dictionary: dictionary, extractor: extractor, options: settings, nearMisses: options.nearMisses)
        try FileManager.default.createDirectory(atPath: options.folder, withIntermediateDirectories: true)
        let report = Report(tsv: options.folder + "/review.tsv", html: options.folder + "/review.html", rows: sheet.rows.count)
        try FileSystem.writeAtomically(to: report.tsv) { try $0.write(sheet.tsv) }
        let summary: [(String, String)] = [
            ("corpus", options.database), ("lexicon", extractor.lexicon.source), ("curation", try options.lexicon.curationDirectory()),
            ("classes", String(dictionary.classes.count)),
            ("near-misses listed", "\(min(options.nearMisses, dictionary.nearMisses.count)) of \(dictionary.nearMisses.count)"),
        ]
        try FileSystem.writeAtomically(to: report.html) {
            try $0.write(sheet.html(title: "Pointillist class dictionary review", summary: summary))
        }
        return report
    }
}

/// `pointillist vocab apply`: the decisions of an edited review sheet, each checked against
/// the lexicon before any file is written, made edits of the curation files. Applying twice
/// changes nothing; the edited files must still load.
public struct ApplyJob {
    public var lexicon: LexiconSource
    public var sheet: String

    public init(lexicon: LexiconSource, sheet: String) {
        self.lexicon = lexicon
        self.sheet = sheet
    }

    public struct Report: Sendable {
        public var curation: String
        public var made: [ReviewDecisions.Edit]
        /// Decisions whose edit was already present.
        public var alreadyPresent: Int
    }

    public func run() throws -> Report {
        let lex = try lexicon.loadLexicon()
        let decisions = try ReviewDecisions(sheet: sheet, lexicon: lex)
        let vocab = try lexicon.curationDirectory()
        let made = try decisions.apply(to: vocab)
        do { _ = try Curation(directory: vocab, lexicon: lex) } catch {
            // The edits are on disk: say which, so they can be looked at or undone.
            throw PointillistError(
                "the edited curation files no longer load (\(error)); edits written: "
                    + made.map { "\(vocab)/\($0.description)" }.joined(separator: "; "), doing: "applying \(sheet)")
        }
        return Report(curation: vocab, made: made, alreadyPresent: decisions.edits.count - made.count)
    }
}
