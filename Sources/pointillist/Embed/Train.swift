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
                """)

        @OptionGroup var corpus: CorpusOption
        @OptionGroup var imageOptions: ImageOptions

        @Option(help: ArgumentHelp("Model file to write (default: beside the database, <name>.embedding).", valueName: "path"))
        var model: String?

        @Option(help: ArgumentHelp("Hidden layer widths before the embedding layer, comma-separated.", valueName: "n,…"))
        var hidden = TrainingOptions().hidden.map(String.init).joined(separator: ",")

        @Option(help: ArgumentHelp("Embedding dimension (the last hidden layer).", valueName: "n"))
        var dimension = TrainingOptions().embedding

        @Option(help: "Maximum number of epochs.")
        var epochs = TrainingOptions().epochs

        @Option(help: "Examples per mini-batch.")
        var batch = TrainingOptions().batch

        @Option(name: .customLong("learning-rate"), help: "Adam learning rate.")
        var learningRate = TrainingOptions().learningRate

        @Option(help: "Epochs without validation improvement before stopping.")
        var patience = TrainingOptions().patience

        @Option(help: "Share of images held out for validation.")
        var validation = TrainingOptions().validationFraction

        @Option(name: .customLong("points-per-mention"), help: "Trace points sampled per mention at most.")
        var pointsPerMention = TrainingSampling().pointsPerMention

        @Option(name: .customLong("points-per-class"), help: "About this many points per class at most.")
        var pointsPerClass = TrainingSampling().pointsPerClass

        @Option(name: .customLong("clean-rounds"), help: "Label-cleaning rounds after the first training (0: none).")
        var cleanRounds = TrainingOptions().cleaningRounds

        @Option(name: .customLong("clean-threshold"), help: "A point is set aside when its class gets a lower probability among its image's classes.")
        var cleanThreshold = TrainingOptions().cleaningThreshold

        @Option(
            name: .customLong("working-side"),
            help: ArgumentHelp(
                "Working resolution, recorded in the model: the feature tables have about this longer side. Without a detail side, images are decoded reduced to it (JPEG inside the DCT at 1/2, 1/4 or 1/8; PNG by an integer box: the smallest size whose longer side is at least this). 0: full resolution.",
                valueName: "px"))
        var workingSide = FeatureConfiguration.defaultWorkingSide

        @Option(
            name: .customLong("detail-side"),
            help: ArgumentHelp(
                "Detail resolution, recorded in the model: images are decoded (by the same rule) to at least this side instead; gradients, L* variance and the pixel's colour are computed there and pooled into tables of the working side's size, keeping the fine texture. 0: none (faster, less accurate on large photos).",
                valueName: "px"))
        var detailSide = FeatureConfiguration.defaultDetailSide

        @Option(help: "Seed for the split, the initial weights, the batch order and the sampling.")
        var seed = TrainingSampling().seed

        @Flag(help: "Print only the summary: no progress bar, no per-epoch lines.")
        var quiet = false

        func validate() throws {
            guard let h = hiddenSizes, h.allSatisfy({ $0 > 0 }) else {
                throw ValidationError("--hidden must be positive integers, e.g. 128 or 256,128")
            }
            if dimension < 1 { throw ValidationError("--dimension must be at least 1") }
            if epochs < 1 || batch < 1 || patience < 1 { throw ValidationError("--epochs, --batch and --patience must be at least 1") }
            if !(validation > 0 && validation < 1) { throw ValidationError("--validation must be between 0 and 1") }
            if cleanRounds < 0 { throw ValidationError("--clean-rounds must be 0 or more") }
            if detailSide < 0 { throw ValidationError("--detail-side must be 0 (none) or a positive number of pixels") }
            if workingSide < 0 { throw ValidationError("--working-side must be 0 (full resolution) or a positive number of pixels") }
            if !(cleanThreshold >= 0 && cleanThreshold < 1) { throw ValidationError("--clean-threshold must be at least 0 and below 1") }
        }

        var hiddenSizes: [Int]? {
            let parts = hidden.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            return parts.contains(nil) ? nil : parts.compactMap { $0 }
        }

        func run() throws {
            guard FileManager.default.fileExists(atPath: corpus.db) else { throw ValidationError("no corpus at \(corpus.db)") }
            var options = TrainJob.Options(database: corpus.db, images: try imageOptions.locator())
            options.model = model
            options.features.workingSide = workingSide > 0 ? workingSide : nil
            options.features.detailSide = detailSide > 0 && workingSide > 0 ? detailSide : nil
            options.sampling.pointsPerMention = pointsPerMention
            options.sampling.pointsPerClass = pointsPerClass
            options.sampling.seed = seed
            options.training.hidden = hiddenSizes ?? [128]
            options.training.embedding = dimension
            options.training.epochs = epochs
            options.training.batch = batch
            options.training.learningRate = learningRate
            options.training.patience = patience
            options.training.validationFraction = validation
            options.training.seed = seed
            options.training.cleaningRounds = cleanRounds
            options.training.cleaningThreshold = cleanThreshold
            let printer = TrainingPrinter(quiet: quiet)
            printer.finish(try TrainJob(options: options).run(progress: printer.progress))
        }
    }
}
