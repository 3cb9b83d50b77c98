import ArgumentParser
import Foundation
import Imaging
import Narratives
import Questions
import Store
import Support

extension Pointillist {
    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stats",
            abstract: "Plot point labels per class (Yes labels, most frequent first) on log-log axes: the Zipf curve, as a PNG.")

        @OptionGroup var corpus: CorpusOption

        @Option(help: ArgumentHelp("PNG to write.", valueName: "path"))
        var out: String = "labels-per-class.png"

        @Flag(name: .customLong("mentions"), help: "Plot mentions per class instead (no answers needed).")
        var plotMentions = false

        func run() throws {
            let store = try Corpus(path: corpus.db)
            let classes = try store.storedDictionary().classes
            var counts: [Int: Int] = [:]
            if plotMentions {
                for c in classes { counts[c.id] = c.mentions }
            } else {
                let labels = Aggregation.aggregate(try store.answers(), rule: AggregationRule())
                for q in try store.questions() where labels[q.id]?.label == .yes { counts[q.classID, default: 0] += 1 }
            }
            let named = classes.map { (name: $0.name, count: counts[$0.id] ?? 0) }
            let what = plotMentions ? "mentions" : "Yes point labels"
            try FileSystem.writeAtomically(to: out) { try $0.write(PNGFile.encode(Chart.zipf(counts: named, title: "\(what) per class"))) }
            print("wrote \(out): \(named.filter { $0.count > 0 }.count) classes, \(named.reduce(0) { $0 + $1.count }) \(what)")
        }
    }
}
