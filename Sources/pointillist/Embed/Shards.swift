import ArgumentParser
import Foundation
import Pipeline
import Support

// The embedding of a corpus sharded by image, in three steps whose model is `embed train`'s
// on the whole corpus: count (per shard), points (per shard, with every shard's counts), fit.

extension Pointillist.Embed {
    struct Count: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "count",
            abstract: "Write the points each training class's mentions offer in this corpus (one shard).",
            discussion: """
                A TSV (class_id, points). The sum over all shards sets each class's sampling rate \
                (--points-per-class over its points); `embed points --class-points` takes every shard's file.
                """)

        @OptionGroup var corpus: CorpusOption

        @Option(help: ArgumentHelp("The TSV to write.", valueName: "path"))
        var out: String

        @Option(name: .customLong("points-per-mention"), help: "Trace points sampled per mention at most.")
        var pointsPerMention = TrainingSampling().pointsPerMention

        func run() throws {
            var job = ClassPointsJob(database: corpus.db, output: out)
            job.sampling.pointsPerMention = pointsPerMention
            let counts = try job.run()
            print("classes        \(counts.count), \(counts.values.reduce(0, +)) points offered")
            print("wrote          \(out)")
        }
    }

    struct Points: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "points",
            abstract: "Write this corpus's (one shard's) training set, features included, for embed fit.",
            discussion: """
                The points `embed train` would train on, drawn from this corpus's images with the \
                sampling rates of the whole corpus (--class-points: every shard's `embed count` file; \
                without it, this corpus's own), in image-id order.
                """)

        @OptionGroup var corpus: CorpusOption
        @OptionGroup var imageOptions: ImageOptions
        @OptionGroup var sampling: TrainingSamplingOptions

        @Option(help: ArgumentHelp("The training points file to write.", valueName: "path"))
        var out: String

        @Option(name: .customLong("class-points"), help: ArgumentHelp("`embed count` files of every shard (repeatable).", valueName: "file"))
        var classPoints: [String] = []

        @Flag(help: "No progress bar.")
        var quiet = false

        func run() throws {
            var options = PointsJob.Options(database: corpus.db, images: try imageOptions.locator(), output: out)
            sampling.apply(to: &options.sampling, features: &options.features)
            options.classPoints = classPoints
            let bar = ProgressBar(enabled: !quiet)
            let (data, points) = try PointsJob(options: options).run { bar.updateCount(done: $0, total: $1, label: "images") }
            bar.finish()
            print("images         \(data.images) read, \(data.skipped.count) skipped; \(data.mentions) mentions, \(points) points")
            print("wrote          \(out)")
        }
    }

    struct Fit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fit",
            abstract: "Train the embedding on the training points of a corpus's shards (embed points).",
            discussion: """
                The files' points are merged in image-id order and trained on as `embed train` trains \
                on the whole corpus: the same model file, byte for byte. The files must come from the \
                same dictionary, features and sampling; the seed is theirs.
                """)

        @Argument(help: ArgumentHelp("Training points files (embed points), one per shard.", valueName: "points"))
        var points: [String]

        @Option(help: ArgumentHelp("Model file to write.", valueName: "path"))
        var model: String

        @OptionGroup var network: NetworkOptions

        @Flag(help: "Print only the summary: no progress bar, no per-epoch lines.")
        var quiet = false

        func run() throws {
            var job = FitJob(points: points, model: model)
            network.apply(to: &job.training, seed: 0)  // the seed is the points files'
            let printer = TrainingPrinter(quiet: quiet)
            printer.finish(try job.run(progress: printer.progress))
        }
    }
}
