import ArgumentParser
import Foundation
import Lexicon
import Narratives
import Pipeline
import Store
import Support
import Vocabulary

extension Pointillist.Vocab {
    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "build",
            abstract: "Build the class dictionary from the corpus and store the mentions of its classes.",
            discussion: """
                Ids are stable: classes already in the dictionary file keep their id, new ones get ids \
                above the largest ever used (classes dropped since stay in the file as '# retired' rows, \
                and get their id back if they return). Rebuilding replaces the corpus's classes, mentions and \
                near-misses; an interrupted build is redone from the start by the next run.

                A corpus sharded by image (one corpus per shard): run `vocab count` on each shard, \
                then `vocab build --counts` with all the counts files on each shard. Every shard then \
                gets the dictionary one build over the whole corpus would give (the same TSV, byte \
                for byte) and stores the mentions of its own narratives.
                """)

        @OptionGroup var corpus: CorpusOption
        @OptionGroup var lexicon: LexiconOptions

        @Option(
            help: ArgumentHelp(
                "The dictionary TSV to write; its ids are kept (default: beside the database, <name>.dictionary.tsv).", valueName: "path"))
        var dictionary: String?

        @Option(name: .customLong("min-mentions"), help: ArgumentHelp("Keep classes mentioned at least this many times.", valueName: "n"))
        var minimumMentions = DictionaryOptions().minimumMentions

        @Option(
            name: .customLong("train-classes"),
            help: ArgumentHelp("Mark this many of the most mentioned classes for embedding training.", valueName: "n"))
        var trainClasses = DictionaryOptions().trainClasses

        @OptionGroup var openImages: OpenImagesMappingOptions

        @Option(
            help: ArgumentHelp(
                "Decide the dictionary from these counts files (vocab count, one per shard; repeatable) instead of counting this corpus.",
                valueName: "file"))
        var counts: [String] = []

        @Option(help: ArgumentHelp("Classes to list in the summary.", valueName: "n"))
        var top = 20

        @Flag(help: "Print only the summary: no progress bar.")
        var quiet = false

        func validate() throws {
            if minimumMentions < 1 { throw ValidationError("--min-mentions must be at least 1") }
            if trainClasses < 0 { throw ValidationError("--train-classes cannot be negative") }
        }

        func run() throws {
            let started = Terminal.now()
            let extractor = try lexicon.source.loadExtractor()
            let loaded = Terminal.now()
            let mapping = try openImages.mapping(extractor: extractor)
            var options = VocabularyJob.Options(database: corpus.db)
            options.dictionary = dictionary
            options.settings = DictionaryOptions(minimumMentions: minimumMentions, trainClasses: trainClasses)
            options.counts = counts
            let bar = ProgressBar(enabled: !quiet)
            let job = VocabularyJob(options: options, extractor: extractor, openImages: mapping)
            let done = try job.run { phase, n, total in bar.updateCount(done: n, total: total, label: phase.rawValue) }
            bar.finish()
            let (result, report, dictionaryPath) = (done.dictionary, done.build, done.path)
            let finished = Terminal.now()

            print(
                "lexicon        \(extractor.lexicon.source): \(extractor.lexicon.synsets.count) noun synsets, \(extractor.lexicon.lemmaCount) lemmas (\(Format.seconds(loaded - started)) to load)"
            )
            print("word list      \(extractor.wordList.path): \(extractor.wordList.count) common words")
            if let mapping {
                let counts = mapping.counts
                print(
                    "Open Images    \(mapping.classes.path): \(mapping.classes.count) classes (\(counts[.curated] ?? 0) curated, \(counts[.mapped] ?? 0) mapped, \(counts[.ambiguous] ?? 0) ambiguous, \(counts[.unmapped] ?? 0) unmapped; vocab mids reports them)"
                )
            }
            print("narratives     \(report.narratives)")
            if !counts.isEmpty { print("counts         \(counts.count) files merged: the dictionary of all their shards") }
            print("candidates     \(report.candidates) noun phrases: \(report.keptCandidates) passed the filters")
            for (code, n) in report.verdicts.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) where code != "kept" {
                print("  \(Format.padded(code, 14)) \(n)")
            }
            print(
                "dictionary     \(report.classes) classes with at least \(minimumMentions) mentions (\(report.keptIDs) ids kept, \(report.newIDs) new); \(min(trainClasses, report.classes)) marked for training"
            )
            let mapped = result.classes.filter { !$0.openImagesMID.isEmpty }.count
            let curation = extractor.curation
            let curated = result.classes.filter { c in
                !c.openImagesMIDs.isEmpty && (extractor.lexicon.resolve(c.synset).map { curation.mids[$0] != nil } ?? false)
            }.count
            if mapping != nil {
                print(
                    "               \(mapped) mapped to Open Images MIDs (\(curated) by mids.tsv, the rest through the class mapping; \(curation.midRowsOfOtherLexicons) mids.tsv rows name another lexicon's synsets)"
                )
                let byMentions = result.classes.sorted { ($0.mentions, $1.id) > ($1.mentions, $0.id) }
                let several = byMentions.filter { $0.openImagesMIDs.count > 1 }
                let none = byMentions.filter { $0.openImagesMIDs.isEmpty }
                if !several.isEmpty {
                    print(
                        "               \(several.count) with several MIDs: \(several.prefix(5).map { "\($0.name) (\($0.openImagesName))" }.joined(separator: ", "))"
                    )
                }
                if !none.isEmpty {
                    print(
                        "               \(none.count) without a MID, most mentioned: \(none.prefix(8).map(\.name).joined(separator: ", ")) (Vocab/mids.tsv maps them)"
                    )
                }
            }
            print("mentions       \(report.mentions) stored, \(report.mentionsWithPoints) with trace points (\(report.points) points)")
            if !report.rulesFired.isEmpty {
                print("rules fired")
                for (rule, n) in report.rulesFired.sorted(by: { ($0.key.file, $0.key.line) < ($1.key.file, $1.key.line) }) {
                    print(
                        "  \(Format.padded(rule.description, 26)) \(Format.padded(String(n), 6)) \(rule.entry)"
                    )
                }
            }
            if !result.classes.isEmpty {
                print("top classes")
                for c in result.classes.sorted(by: { ($0.mentions, $1.id) > ($1.mentions, $0.id) }).prefix(top) {
                    let oi = c.openImagesMID.isEmpty ? "" : "  \(c.openImagesMID) \(c.openImagesName)"
                    print(
                        "  \(Format.padded(String(c.id), 5)) \(Format.padded(c.name, 18)) \(Format.padded(String(c.mentions), 7)) \(c.sense)\(oi)"
                    )
                }
            }
            print("wrote          \(dictionaryPath)")
            if !done.droppedAsked.isEmpty {
                let total = done.droppedAsked.map(\.questions).reduce(0, +)
                let named = done.droppedAsked.prefix(8).map { "\($0.name) (\($0.id), \($0.questions))" }.joined(separator: ", ")
                Terminal.error(
                    "warning: \(total) questions ask about \(done.droppedAsked.count) classes this build no longer keeps: \(named); their batches and exports name them by id only. Keep them with Vocab/includes.tsv, or restore the earlier dictionary"
                )
            }
            print(
                "time           \(Format.seconds(finished - started)) (mentions counted in \(Format.seconds(report.countingSeconds)), stored in \(Format.seconds(report.writingSeconds)))"
            )
        }
    }
}
