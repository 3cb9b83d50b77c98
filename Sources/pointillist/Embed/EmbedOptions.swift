import ArgumentParser
import Embedding
import Foundation
import Pipeline

/// How trace points become a training set: `embed train`, `points` and `count`.
struct TrainingSamplingOptions: ParsableArguments {
    @Option(name: .customLong("points-per-mention"), help: "Trace points sampled per mention at most.")
    var pointsPerMention = TrainingSampling().pointsPerMention

    @Option(name: .customLong("points-per-class"), help: "About this many points per class at most.")
    var pointsPerClass = TrainingSampling().pointsPerClass

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

    func validate() throws {
        if pointsPerMention < 1 || pointsPerClass < 1 { throw ValidationError("--points-per-mention and --points-per-class must be at least 1") }
        if detailSide < 0 { throw ValidationError("--detail-side must be 0 (none) or a positive number of pixels") }
        if workingSide < 0 { throw ValidationError("--working-side must be 0 (full resolution) or a positive number of pixels") }
    }

    func apply(to sampling: inout TrainingSampling, features: inout FeatureConfiguration) {
        features.workingSide = workingSide > 0 ? workingSide : nil
        features.detailSide = detailSide > 0 && workingSide > 0 ? detailSide : nil
        sampling.pointsPerMention = pointsPerMention
        sampling.pointsPerClass = pointsPerClass
        sampling.seed = seed
    }
}

/// How the network is trained: `embed train` and `fit`.
struct NetworkOptions: ParsableArguments {
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

    @Option(name: .customLong("clean-rounds"), help: "Label-cleaning rounds after the first training (0: none).")
    var cleanRounds = TrainingOptions().cleaningRounds

    @Option(name: .customLong("clean-threshold"), help: "A point is set aside when its class gets a lower probability among its image's classes.")
    var cleanThreshold = TrainingOptions().cleaningThreshold

    func validate() throws {
        guard let h = hiddenSizes, h.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--hidden must be positive integers, e.g. 128 or 256,128")
        }
        if dimension < 1 { throw ValidationError("--dimension must be at least 1") }
        if epochs < 1 || batch < 1 || patience < 1 { throw ValidationError("--epochs, --batch and --patience must be at least 1") }
        if !(validation > 0 && validation < 1) { throw ValidationError("--validation must be between 0 and 1") }
        if cleanRounds < 0 { throw ValidationError("--clean-rounds must be 0 or more") }
        if !(cleanThreshold >= 0 && cleanThreshold < 1) { throw ValidationError("--clean-threshold must be at least 0 and below 1") }
    }

    var hiddenSizes: [Int]? {
        let parts = hidden.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        return parts.contains(nil) ? nil : parts.compactMap { $0 }
    }

    func apply(to training: inout TrainingOptions, seed: UInt64) {
        training.hidden = hiddenSizes ?? [128]
        training.embedding = dimension
        training.epochs = epochs
        training.batch = batch
        training.learningRate = learningRate
        training.patience = patience
        training.validationFraction = validation
        training.seed = seed
        training.cleaningRounds = cleanRounds
        training.cleaningThreshold = cleanThreshold
    }
}
