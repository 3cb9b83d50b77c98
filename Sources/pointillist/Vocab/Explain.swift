import ArgumentParser
import Foundation
import Lexicon
import Narratives
import Store
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
}
