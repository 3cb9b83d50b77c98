import ArgumentParser
import Embedding
import Foundation
import Imaging
import Narratives
import Pipeline
import Questions
import Store
import Support

extension Pointillist.Embed {
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "train",
            abstract: "Train the embedding on the trace points of the dictionary's training classes.",
            discussion: """
                Images are split into training and validation by a hash of their id and the seed; \
                training stops when the validation loss has not improved for --patience epochs and keeps \
                the best epoch. The same corpus, images and seed give the same model file.

                Label cleaning: a trace strays onto the neighbours of what is named, so many trace \
                points carry the wrong class. After the first training, points whose class gets a \
                probability below --clean-threshold among the classes of their image are set aside and \
                the network is trained again on the rest, --clean-rounds times (0: no cleaning).

                A corpus sharded by image: `embed count` on every shard, `embed points --class-points` \
                (all the count files) on every shard, then `embed fit` on all the points files gives \
                the model this command gives on the whole corpus, byte for byte.
                """)

        @OptionGroup var corpus: CorpusOption
        @OptionGroup var imageOptions: ImageOptions

        @Option(help: ArgumentHelp("Model file to write (default: beside the database, <name>.embedding).", valueName: "path"))
        var model: String?

        @OptionGroup var network: NetworkOptions
        @OptionGroup var sampling: TrainingSamplingOptions

        @Flag(help: "Print only the summary: no progress bar, no per-epoch lines.")
        var quiet = false

        func run() throws {
            var options = TrainJob.Options(database: corpus.db, images: try imageOptions.locator())
            options.model = model
            sampling.apply(to: &options.sampling, features: &options.features)
            network.apply(to: &options.training, seed: sampling.seed)
            let printer = TrainingPrinter(quiet: quiet)
            printer.finish(try TrainJob(options: options).run(progress: printer.progress))
        }
    }
}
