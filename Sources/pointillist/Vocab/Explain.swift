import ArgumentParser
import Vocabulary

extension Pointillist.Vocab {
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

        @Flag(help: "Begin each row with the number of the text it came from (1 for the first), in a column named input.")
        var number = false

        func validate() throws {
            if texts.isEmpty && file == nil { throw ValidationError("give texts as arguments or --file <path>") }
        }

        func run() throws {
            let started = Terminal.now()
            var explanation = Explanation(extractor: try lexicon.source.loadExtractor())
            let loaded = Terminal.now()
            explanation.includeSkipped = all
            if let dictionary { try explanation.compare(with: dictionary) }
            let inputs = texts + (try file.map(Explanation.texts(inFile:)) ?? [])
            var output = BufferedOutput()
            output.write((number ? "input\t" : "") + Explanation.header)
            let extracting = Terminal.now()
            var rows = 0
            for (i, input) in inputs.enumerated() {
                for row in explanation.rows(of: input) {
                    rows += 1
                    output.write((number ? "\(i + 1)\t" : "") + row)
                }
            }
            output.flush()
            if timings {
                Terminal.error("timings: load \(loaded - started) s, extract \(Terminal.now() - extracting) s, \(inputs.count) texts, \(rows) rows")
            }
        }
    }
}
