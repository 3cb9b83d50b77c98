import ArgumentParser
import Foundation
import Lexicon
import Narratives
import Store
import Support
import Vocabulary

extension Pointillist.Vocab {
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
            files = try FileSystem.expandInputs(inputs)
            let extractor = try lexicon.source.loadExtractor()
            let report = try NounSegmentCheck.run(files: files, extractor: extractor, differences: verbose)
            for line in report.skipped { Terminal.error("\(line.path):\(line.line): skipped: \(line.reason)") }
            for d in report.differences {
                print(([d.kind.rawValue, d.videoID, d.actor, d.text] + (d.verdict.map { [$0] } ?? [])).joined(separator: "\t"))
            }
            let (all, kept, captions, skipped) = (report.all, report.kept, report.captions, report.skipped.count)
            print("captions \(captions), noun segments \(all.segments)\(skipped > 0 ? ", \(skipped) lines skipped" : "")")
            print("mentions\tcount\tmatched\tprecision\tsegments found\trecall")
            // A share of nothing is no figure: n/a, not 0.000.
            func share(_ value: Double, of whole: Int) -> String { whole > 0 ? String(format: "%.3f", value) : "n/a" }
            for (name, m) in [("all candidates", all), ("kept", kept)] {
                print(
                    [
                        name, "\(m.mentions)", "\(m.matchedMentions)", share(m.precision, of: m.mentions), "\(m.matchedSegments)",
                        share(m.recall, of: all.segments),
                    ]
                    .joined(separator: "\t"))
            }
            if captions == 0 { Terminal.error("no Video Localized Narratives caption was read: are these VidLN files?") }
        }
    }
}
