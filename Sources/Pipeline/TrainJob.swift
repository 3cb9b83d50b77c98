import Embedding
import Imaging
import Narratives
import Store
import Support

/// `pointillist embed train`: the trace points of the dictionary's training classes, their
/// features on the images, the network trained on them, and the model file.
public struct TrainJob {
    public struct Options: Sendable {
        public var database: String
        public var images: ImageLocator
        /// nil: beside the database (`DefaultPaths.model`).
        public var model: String?
        public var features = FeatureConfiguration.standard
        public var sampling = TrainingSampling()
        public var training = TrainingOptions()

        public init(database: String, images: ImageLocator) {
            self.database = database
            self.images = images
        }

        public var modelPath: String { model ?? DefaultPaths.model(database) }
    }

    /// What the run did, for the summary.
    public struct Report: Sendable {
        public var classes: Int
        public var data: TrainingDataReport
        public var extractionSeconds: Double
        public var model: EmbeddingModel
        public var path: String
        public var seconds: Double
    }

    /// Where the job is: images featurised (done, total); after extraction the data, the
    /// number of classes and the seconds taken; an epoch finished; a mini-batch done (done, total).
    public struct Progress {
        public var images: ((Int, Int) -> Void)?
        public var extracted: ((TrainingDataReport, Int, Double) -> Void)?
        public var epoch: ((EpochReport) -> Void)?
        public var batches: ((Int, Int) -> Void)?

        public init(
            images: ((Int, Int) -> Void)? = nil, extracted: ((TrainingDataReport, Int, Double) -> Void)? = nil,
            epoch: ((EpochReport) -> Void)? = nil, batches: ((Int, Int) -> Void)? = nil
        ) {
            self.images = images
            self.extracted = extracted
            self.epoch = epoch
            self.batches = batches
        }
    }

    public var options: Options

    public init(options: Options) {
        self.options = options
    }

    public func run(progress: Progress = Progress()) throws -> Report {
        let clock = ContinuousClock()
        let started = clock.now
        let corpus = try Corpus.existing(options.database)
        let classes = try corpus.trainingClasses()
        guard classes.count >= 2 else {
            throw PointillistError("the dictionary marks \(classes.count) class for training; at least 2 are needed")
        }
        let (locator, side) = (options.images, options.features.decodeSide)
        let (points, data) = try TrainingData.labelledPoints(
            corpus: corpus,
            classes: classes, features: options.features, sampling: options.sampling,
            loadImage: { try locator.load($0, workingSide: side) }, progress: progress.images)
        let extracted = (clock.now - started) / .seconds(1)
        progress.extracted?(data, classes.count, extracted)
        guard points.count > 0 else { throw PointillistError("no trace points with images to train on") }
        var model = Trainer.train(
            points: points, classes: classes, features: options.features, options: options.training, progress: progress.epoch,
            batchProgress: progress.batches)
        model.training.pointsPerMention = options.sampling.pointsPerMention
        model.training.pointsPerClass = options.sampling.pointsPerClass
        let bytes = try ModelFile.encode(model)
        try FileSystem.writeAtomically(to: options.modelPath) { try $0.write(bytes) }
        return Report(
            classes: classes.count, data: data, extractionSeconds: extracted, model: model, path: options.modelPath,
            seconds: (clock.now - started) / .seconds(1))
    }
}
