import ArgumentParser
import Pipeline

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
            var options = StatsJob.Options(database: corpus.db, out: out)
            options.mentions = plotMentions
            let r = try StatsJob(options: options).run()
            print("wrote \(out): \(r.classesCounted) classes, \(r.total) \(options.counted)")
        }
    }
}
