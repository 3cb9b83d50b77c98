import Embedding
import Imaging
import Questions
import Store

/// `pointillist embed eval`: the model's held-out accuracy. The training data is rebuilt as
/// the model was trained (same classes, sampling and seed); the validation images are scored
/// by the classifier and by nearest neighbours among an even sample of the training points,
/// and, with ground-truth masks, again against the class under each point.
public struct EvalJob {
    public struct Options: Sendable {
        public var database: String
        public var images: ImageLocator
        /// nil: beside the database (`DefaultPaths.model`).
        public var model: String?
        public var scoring = Scoring()
        public var masks: GroundTruthMasks?

        public init(database: String, images: ImageLocator) {
            self.database = database
            self.images = images
        }

        public var modelPath: String { model ?? DefaultPaths.model(database) }
    }

    /// How the nearest neighbours vote.
    public struct Scoring: Sendable {
        /// Neighbours that vote.
        public var k = 10
        /// Training points in the neighbours' pool at most (evenly sampled).
        public var reference = 20000
        public init() {}
    }

    public struct Report: Sendable {
        public var modelPath: String
        public var classes: Int
        public var embeddingDimension: Int
        public var skippedImages: Int
        /// Training points in the neighbours' pool.
        public var pool: Int
        /// Against the class of the mention each trace point belongs to.
        public var heldOut: EvaluationReport
        /// Against the mask class under each point, and the points over void or unknown classes.
        public var groundTruth: (report: EvaluationReport, dropped: Int)?
    }

    public var options: Options

    public init(options: Options) {
        self.options = options
    }

    /// `progress` gets images read and the total.
    public func run(progress: ((Int, Int) -> Void)? = nil) throws -> Report {
        let model = try ModelFile.read(options.modelPath)
        let corpus = try Corpus.existing(options.database)
        let (points, data) = try TrainingData.labelledPoints(
            corpus: corpus, classes: model.classes, features: model.features, sampling: TrainingSampling(as: model.training),
            loadImage: { [locator = options.images, side = model.features.decodeSide] in try locator.load($0, workingSide: side) },
            progress: progress)
        let held = { (i: Int32) in
            Trainer.isValidation(points.imageIDs[Int(i)], seed: model.training.seed, fraction: model.training.validationFraction)
        }
        let heldOut = points.filter(images: held)
        let pool = points.filter { !held($0) }.evenlySampled(atMost: options.scoring.reference)
        var report = Report(
            modelPath: options.modelPath, classes: model.classes.count, embeddingDimension: model.network.embeddingDimension,
            skippedImages: data.skipped.count, pool: pool.count,
            heldOut: Evaluation.evaluate(model, on: heldOut, reference: pool, k: options.scoring.k))
        if let masks = options.masks {
            let (truth, dropped) = Evaluation.relabel(heldOut, classes: model.classes, names: try masks.names(), mask: try masks.loader())
            report.groundTruth = (Evaluation.evaluate(model, on: truth, reference: pool, k: options.scoring.k), dropped)
        }
        return report
    }
}

extension TrainingSampling {
    /// The sampling a model was trained with, as its file records it.
    public init(as training: EmbeddingModel.TrainingRecord) {
        self.init()
        seed = training.seed
        if training.pointsPerMention > 0 { pointsPerMention = training.pointsPerMention }
        if training.pointsPerClass > 0 { pointsPerClass = training.pointsPerClass }
    }
}
