import ArgumentParser
import Foundation
import Lexicon
import Narratives
import Store
import Vocabulary

/// Where the lexicon, the curation files and the word list come from.
struct LexiconOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Princeton WordNet 3.0 database directory (Debian wordnet-base). A lexicon once loaded is kept compiled in ~/.cache/pointillist ($XDG_CACHE_HOME/pointillist; $POINTILLIST_CACHE names another folder, or 'off'), renewed when its files or the program change.",
            valueName: "dir"))
    var wordnet: String = PrincetonLoader.defaultDirectory

    @Option(
        name: .customLong("lmf"),
        help: ArgumentHelp(
            "Use WN-LMF XML lexicon files instead of the WordNet database (repeatable: one lexicon from several files).", valueName: "file"))
    var lmfFiles: [String] = []

    @Option(
        help: ArgumentHelp(
            "The curation directory (function words, blocklist, aliases, senses, merges, includes, tangible roots). Default: the Vocab directory the program ships with (./Vocab, $POINTILLIST_HOME/Vocab, <prefix>/share/pointillist/Vocab or the checkout's).",
            valueName: "dir"))
    var vocab: String?

    @Option(
        name: .customLong("word-list"),
        help: ArgumentHelp(
            "English word list deciding which lemmas are common (wamerican: size 50; wamerican-small/-large/-huge: 35/70/80).", valueName: "path"))
    var wordList: String = WordList.defaultPath

    /// The lexicon, through the compiled cache (`LexiconCache`; `POINTILLIST_CACHE=off` turns it off).
    func loadLexicon() throws -> Lexicon {
        let cache = LexiconCache.standard(environment: ProcessInfo.processInfo.environment)
        return lmfFiles.isEmpty
            ? try PrincetonLoader.load(directory: wordnet, cache: cache) : try LMFLoader.load(files: lmfFiles, cache: cache)
    }

    /// The curation directory: --vocab, or the one the program ships with.
    func curationDirectory() throws -> String {
        guard let vocab = vocab ?? DefaultFiles.locate("Vocab") else {
            throw ValidationError(DefaultFiles.notFound("Vocab", what: "the curation directory", option: "--vocab <dir>"))
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: vocab, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("curation directory '\(vocab)' not found: pass --vocab <dir>")
        }
        return vocab
    }

    func loadExtractor() throws -> MentionExtractor {
        let vocab = try curationDirectory()
        let lexicon = try loadLexicon()
        let curation = try Curation(directory: vocab, lexicon: lexicon)
        return MentionExtractor(lexicon: lexicon, curation: curation, wordList: try WordList(path: wordList))
    }
}

extension Pointillist {
    struct Vocab: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "vocab",
            abstract: "Build and curate the class dictionary: tangible, common nouns named in the captions.",
            discussion: """
                build:   extract mentions from every caption of the corpus, filter them, write the \
                dictionary TSV and store each mention with its trace points.
                explain: show, for words, phrases or captions, what each mention becomes and why.
                review:  write the linguists' review sheet (TSV and HTML) from the last build.
                apply:   turn the decisions of an edited review sheet into Vocab/ edits.
                diff:    compare two dictionary files.
                check-nouns: measure mention extraction against the human noun spans of VidLN files.
                """,
            subcommands: [Build.self, Explain.self, Review.self, Apply.self, Diff.self, CheckNouns.self])
    }
}

extension Pointillist.Vocab {
    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "build",
            abstract: "Build the class dictionary from the corpus and store the mentions of its classes.",
            discussion: """
                Ids are stable: classes already in the dictionary file keep their id, new ones get ids \
                above the largest ever used. Rebuilding replaces the corpus's classes, mentions and \
                near-misses; an interrupted build is redone from the start by the next run.
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

        @Option(
            name: .customLong("openimages"),
            help: ArgumentHelp(
                "Open Images class descriptions CSV (MID,DisplayName) for mapping classes to MIDs (default: the Data/openimages/oidv6-class-descriptions.csv the program ships with, found like --vocab's default).",
                valueName: "path"))
        var openImages: String?

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
            let extractor = try lexicon.loadExtractor()
            let loaded = Terminal.now()
            let dictionaryPath = dictionary ?? Format.besideDatabase(corpus.db, suffix: ".dictionary.tsv")
            var classes: OpenImagesClasses?
            if let openImagesPath = openImages ?? DefaultFiles.locate("Data/openimages/oidv6-class-descriptions.csv") {
                classes = try OpenImagesClasses(path: openImagesPath)
            }
            guard FileManager.default.fileExists(atPath: corpus.db) else {
                throw ValidationError("no corpus at \(corpus.db): run `pointillist ingest` first")
            }
            let store = try Corpus(path: corpus.db)
            let previous = try DictionaryFile.ids(dictionaryPath)
            let build = VocabularyBuild(
                extractor: extractor, options: DictionaryOptions(minimumMentions: minimumMentions, trainClasses: trainClasses),
                openImages: classes)
            let bar = ProgressBar(enabled: !quiet)
            let (result, report) = try build.run(corpus: store, previousIDs: previous) { phase, done, total in
                bar.updateCount(done: done, total: total, label: phase.rawValue)
            }
            bar.finish()
            try DictionaryFile.write(result.classes, to: dictionaryPath)
            let finished = Terminal.now()

            print(
                "lexicon        \(extractor.lexicon.source): \(extractor.lexicon.synsets.count) noun synsets, \(extractor.lexicon.lemmaCount) lemmas (\(Format.seconds(loaded - started)) to load)"
            )
            print("word list      \(extractor.wordList.path): \(extractor.wordList.count) common words")
            if let classes { print("Open Images    \(classes.path): \(classes.count) classes") }
            print("narratives     \(report.narratives)")
            print("candidates     \(report.candidates) noun phrases: \(report.keptCandidates) passed the filters")
            for (code, n) in report.verdicts.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) where code != "kept" {
                print("  \(code.padding(toLength: 14, withPad: " ", startingAt: 0)) \(n)")
            }
            print(
                "dictionary     \(report.classes) classes with at least \(minimumMentions) mentions (\(report.keptIDs) ids kept, \(report.newIDs) new); \(min(trainClasses, report.classes)) marked for training"
            )
            let mapped = result.classes.filter { !$0.openImagesMID.isEmpty }.count
            if classes != nil { print("               \(mapped) mapped to Open Images MIDs") }
            print("mentions       \(report.mentions) stored, \(report.mentionsWithPoints) with trace points (\(report.points) points)")
            if !report.rulesFired.isEmpty {
                print("rules fired")
                for (rule, n) in report.rulesFired.sorted(by: { ($0.key.file, $0.key.line) < ($1.key.file, $1.key.line) }) {
                    print(
                        "  \(rule.description.padding(toLength: 26, withPad: " ", startingAt: 0)) \(String(n).padding(toLength: 6, withPad: " ", startingAt: 0)) \(rule.entry)"
                    )
                }
            }
            if !result.classes.isEmpty {
                print("top classes")
                for c in result.classes.sorted(by: { ($0.mentions, $1.id) > ($1.mentions, $0.id) }).prefix(top) {
                    let oi = c.openImagesMID.isEmpty ? "" : "  \(c.openImagesMID) \(c.openImagesName)"
                    print(
                        "  \(String(c.id).padding(toLength: 5, withPad: " ", startingAt: 0)) \(c.name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(String(c.mentions).padding(toLength: 7, withPad: " ", startingAt: 0)) \(c.sense)\(oi)"
                    )
                }
            }
            print("wrote          \(dictionaryPath)")
            print(
                "time           \(Format.seconds(finished - started)) (mentions counted in \(Format.seconds(report.countingSeconds)), stored in \(Format.seconds(report.writingSeconds)))"
            )
        }
    }

    struct CheckNouns: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check-nouns",
            abstract: "Precision and recall of the extracted mentions against VidLN's human noun spans.",
            discussion: """
                Reads Video Localized Narratives JSONL (plain or gzip) and runs the mention extractor on \
                every actor caption. A mention matches a noun segment when their character spans overlap \
                by at least one character. Precision = mentions matching a segment / mentions; recall = \
                segments matched by a mention / segments. Reported for every candidate the extractor \
                yields (any verdict) and for kept mentions only. Lines that are not valid VidLN are \
                reported and skipped.
                """)

        @OptionGroup var lexicon: LexiconOptions

        @Argument(help: ArgumentHelp("VidLN JSONL files, directories or glob patterns.", valueName: "input"))
        var inputs: [String]

        @Flag(help: "List every unmatched mention and missed noun segment.")
        var verbose = false

        func run() throws {
            let files: [SourceFile]
            do { files = try FileSystem.expandInputs(inputs) } catch { throw ValidationError("\(error)") }
            let extractor = try lexicon.loadExtractor()
            let report = try NounSegmentCheck.run(files: files, extractor: extractor, differences: verbose)
            for line in report.skipped { Terminal.error("\(line.path):\(line.line): skipped: \(line.reason)") }
            for d in report.differences {
                print(([d.kind.rawValue, d.videoID, d.actor, d.text] + (d.verdict.map { [$0] } ?? [])).joined(separator: "\t"))
            }
            let (all, kept, captions, skipped) = (report.all, report.kept, report.captions, report.skipped.count)
            print("captions \(captions), noun segments \(all.segments)\(skipped > 0 ? ", \(skipped) lines skipped" : "")")
            print("mentions\tcount\tmatched\tprecision\tsegments found\trecall")
            for (name, m) in [("all candidates", all), ("kept", kept)] {
                print(String(format: "%@\t%d\t%d\t%.3f\t%d\t%.3f", name, m.mentions, m.matchedMentions, m.precision, m.matchedSegments, m.recall))
            }
        }
    }

    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "explain",
            abstract: "Show what words, phrases or captions yield, one TSV row per mention, and why.",
            discussion: """
                Columns: text, lemma, sense, synset, verdict, reason, rules, ambiguous (other tangible \
                senses in other lexicographer files were eligible), gloss. With --all, words the \
                rules skip (function words, verbs) get a row too. When the dictionary file exists, a kept \
                mention of a class not in it is reported as rare.
                """)

        @OptionGroup var lexicon: LexiconOptions

        @Argument(help: ArgumentHelp("Words, phrases or captions (each argument is one text).", valueName: "text"))
        var texts: [String] = []

        @Option(help: ArgumentHelp("Read texts from this file, one per line.", valueName: "path"))
        var file: String?

        @Option(help: ArgumentHelp("A dictionary TSV: report kept mentions of classes it lacks as rare.", valueName: "path"))
        var dictionary: String?

        @Flag(help: "Also list skipped words (function words, verbs).")
        var all = false

        @Flag(help: "Print load and extraction times to standard error (for benchmarks).")
        var timings = false

        func validate() throws {
            if texts.isEmpty && file == nil { throw ValidationError("give texts as arguments or --file <path>") }
        }

        func run() throws {
            let started = Terminal.now()
            let extractor = try lexicon.loadExtractor()
            let loaded = Terminal.now()
            var inputs = texts
            if let file {
                guard let text = try TSV.readText(file, optional: false) else { return }
                inputs += text.split(separator: "\n").map(String.init).filter { !$0.allSatisfy(\.isWhitespace) }
            }
            var known: Set<String>?
            if let dictionary { known = Set(try DictionaryFile.read(dictionary).map(\.synset)) }
            let lex = extractor.lexicon
            var output = BufferedOutput()
            output.write(["text", "lemma", "sense", "synset", "verdict", "reason", "rules", "ambiguous", "gloss"].joined(separator: "\t") + "\n")
            let extracting = Terminal.now()
            var mentions = 0
            defer {
                output.flush()
                if timings {
                    Terminal.error(
                        "timings: load \(loaded - started) s, extract \(Terminal.now() - extracting) s, \(inputs.count) texts, \(mentions) rows")
                }
            }
            for input in inputs {
                let scalars = Array(input.unicodeScalars)
                for c in extractor.candidates(in: input, includeSkipped: all) {
                    mentions += 1
                    var span = String.UnicodeScalarView()
                    span.append(contentsOf: scalars[c.start..<min(scalars.count, c.start + c.length)])
                    var verdict = c.verdict
                    if verdict.isKept, let known, let s = c.synset, !known.contains(lex.synsets[Int(s)].id),
                        extractor.curation.includes[s] == nil
                    {
                        verdict = .rare(mentions: 0, minimum: 0)
                    }
                    let reason = verdict.code == "rare" ? "not in \(dictionary ?? "")" : verdict.explanation
                    let sense = c.synset.map { lex.senseName(of: $0) } ?? ""
                    let synset = c.synset.map { lex.synsets[Int($0)].id } ?? ""
                    let gloss = c.synset.map { lex.synsets[Int($0)].gloss } ?? ""
                    let rules = c.rules.map(\.description).joined(separator: " ")
                    output.write(
                        [String(span), c.lemma, sense, synset, verdict.code, reason, rules, c.ambiguous ? "yes" : "", gloss]
                            .map(TSV.clean).joined(separator: "\t") + "\n")
                }
            }
        }
    }

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

    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "apply",
            abstract: "Turn the decisions of an edited review sheet into edits of the Vocab/ files.",
            discussion: """
                decision column: drop (class → blocklist.tsv), keep (near-miss → includes.tsv), \
                sense:<sense> (senses.tsv), alias:<sense> (aliases.tsv), merge:<sense> (merges.tsv). \
                Every decision is checked before any file is written; applying twice changes nothing. \
                Rebuild the dictionary afterwards.
                """)

        @OptionGroup var lexicon: LexiconOptions

        @Argument(help: ArgumentHelp("The edited review.tsv.", valueName: "sheet"))
        var sheet: String

        func run() throws {
            let lex = try lexicon.loadLexicon()
            let decisions = try ReviewDecisions(sheet: sheet, lexicon: lex)
            let vocab = try lexicon.curationDirectory()
            let made = try decisions.apply(to: vocab)
            for e in made { print("\(vocab)/\(e.description)") }
            print("\(made.count) edit\(made.count == 1 ? "" : "s") applied (\(decisions.edits.count - made.count) already present)")
            // The edited files must still load.
            _ = try Curation(directory: vocab, lexicon: lex)
        }
    }

    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "diff",
            abstract: "Compare two dictionary files: classes added (+), removed (-) and changed (~).")

        @Argument(help: ArgumentHelp("The older dictionary TSV.", valueName: "old"))
        var old: String

        @Argument(help: ArgumentHelp("The newer dictionary TSV.", valueName: "new"))
        var new: String

        func run() throws {
            let diff = DictionaryDiff(old: try DictionaryFile.read(old), new: try DictionaryFile.read(new))
            for line in diff.lines { print(line) }
            print("\(diff.added.count) added, \(diff.removed.count) removed, \(diff.changed.count) changed")
        }
    }
}
