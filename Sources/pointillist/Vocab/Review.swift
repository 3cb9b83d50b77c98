import ArgumentParser
import Foundation
import Lexicon
import Narratives
import Store
import Support
import Vocabulary

extension Pointillist.Vocab {
    struct Review: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "review",
            abstract: "Write the review sheet of the last build: <out>/review.tsv and <out>/review.html.",
            discussion: """
                One row per class (counts, gloss, why it passed each filter, ambiguity flag, concordance \
                lines from real captions) and per frequent near-miss (what filtered it out). Edit the \
                decision column of review.tsv, then run `pointillist vocab apply review.tsv`.
                """)

        @OptionGroup var corpus: CorpusOption
        @OptionGroup var lexicon: LexiconOptions

        @Option(help: ArgumentHelp("Directory for review.tsv and review.html.", valueName: "dir"))
        var out: String = "."

        @Option(name: .customLong("near-misses"), help: ArgumentHelp("How many of the most frequent near-misses to list.", valueName: "n"))
        var nearMisses = 500

        @Option(
            name: .customLong("min-mentions"),
            help: ArgumentHelp("The minimum shown in the reasons (default: the one the last build used, recorded in the corpus).", valueName: "n"))
        var minimumMentions: Int?

        func run() throws {
            guard FileManager.default.fileExists(atPath: corpus.db) else { throw ValidationError("no corpus at \(corpus.db)") }
            let extractor = try lexicon.loadExtractor()
            let store = try Corpus(path: corpus.db)
            let dictionary = try store.storedDictionary()
            var options = try store.dictionaryOptions()
            if let minimumMentions { options.minimumMentions = minimumMentions }
            let sheet = ReviewSheet(dictionary: dictionary, extractor: extractor, options: options, nearMisses: nearMisses)
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let tsvPath = out + "/review.tsv"
            let htmlPath = out + "/review.html"
            try FileSystem.writeAtomically(to: tsvPath) { try $0.write(sheet.tsv) }
            let summary: [(String, String)] = [
                ("corpus", corpus.db), ("lexicon", extractor.lexicon.source), ("curation", try lexicon.curationDirectory()),
                ("classes", String(dictionary.classes.count)),
                ("near-misses listed", "\(min(nearMisses, dictionary.nearMisses.count)) of \(dictionary.nearMisses.count)"),
            ]
            try FileSystem.writeAtomically(to: htmlPath) { try $0.write(sheet.html(title: "Pointillist class dictionary review", summary: summary)) }
            print("wrote \(tsvPath) (\(sheet.rows.count) rows) and \(htmlPath)")
        }
    }
}
