import Embedding
import Foundation
import Imaging
import Narratives
import Store
import Support
import Vocabulary

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
        let model = try Self.train(
            points, classes: classes, features: options.features, sampling: options.sampling, training: options.training,
            to: options.modelPath, progress: progress)
        return Report(
            classes: classes.count, data: data, extractionSeconds: extracted, model: model, path: options.modelPath,
            seconds: (clock.now - started) / .seconds(1))
    }

    /// Trains the network on `points` and writes the model file (`embed train` and `embed fit`).
    static func train(
        _ points: LabelledPoints, classes: [EmbeddingModel.ClassLabel], features: FeatureConfiguration, sampling: TrainingSampling,
        training: TrainingOptions, to path: String, progress: Progress
    ) throws -> EmbeddingModel {
        guard points.count > 0 else { throw PointillistError("no trace points with images to train on") }
        var model = Trainer.train(
            points: points, classes: classes, features: features, options: training, progress: progress.epoch,
            batchProgress: progress.batches)
        guard model.training.trainingPoints > 0 else {
            throw PointillistError(
                "no training points: all \(Set(points.images).count) images with trace points fell into the validation share (--validation \(training.validationFraction)); add images or lower it"
            )
        }
        model.training.pointsPerMention = sampling.pointsPerMention
        model.training.pointsPerClass = sampling.pointsPerClass
        let bytes = try ModelFile.encode(model)
        try FileSystem.writeAtomically(to: path) { try $0.write(bytes) }
        return model
    }
}

/// `pointillist embed count`: per training class, the points its mentions in this corpus (a
/// shard) offer, as a TSV (`class_id`, `points`) that `embed points --class-points` sums over
/// all shards for the classes' sampling rates.
public struct ClassPointsJob {
    public var database: String
    public var output: String
    public var sampling = TrainingSampling()

    public init(database: String, output: String) {
        self.database = database
        self.output = output
    }

    public func run() throws -> [Int: Int] {
        let counts = try TrainingData.classPointCounts(corpus: try Corpus.existing(database), sampling: sampling)
        let text = "class_id\tpoints\n" + counts.sorted { $0.key < $1.key }.map { "\($0.key)\t\($0.value)\n" }.joined()
        try FileSystem.writeAtomically(to: output) { try $0.write(text) }
        return counts
    }

    /// The sum of class-points files.
    public static func read(_ paths: [String]) throws(PointillistError) -> [Int: Int] {
        var total: [Int: Int] = [:]
        for path in paths {
            try TSV.read(path, columns: ["class_id", "points"], optional: false) { (row) throws(PointillistError) in
                guard row.fields.count == 2, let id = Int(row[0]), let n = Int(row[1]), n >= 0 else {
                    throw PointillistError(file: path, line: row.line, reason: "expected class_id<TAB>points")
                }
                total[id, default: 0] += n
            }
        }
        return total
    }
}

/// `pointillist embed points`: the training set of this corpus (a shard), with its features,
/// written for `embed fit` to merge with the other shards' and train on.
public struct PointsJob {
    public struct Options: Sendable {
        public var database: String
        public var images: ImageLocator
        public var output: String
        public var features = FeatureConfiguration.standard
        public var sampling = TrainingSampling()
        /// `embed count` files of every shard; empty: this corpus's own counts.
        public var classPoints: [String] = []

        public init(database: String, images: ImageLocator, output: String) {
            self.database = database
            self.images = images
            self.output = output
        }
    }

    public var options: Options

    public init(options: Options) {
        self.options = options
    }

    public func run(progress: ((Int, Int) -> Void)? = nil) throws -> (TrainingDataReport, points: Int) {
        let corpus = try Corpus.existing(options.database)
        let classes = try corpus.trainingClasses()
        let perClass = options.classPoints.isEmpty ? nil : try ClassPointsJob.read(options.classPoints)
        let (locator, side) = (options.images, options.features.decodeSide)
        let (points, data) = try TrainingData.labelledPoints(
            corpus: corpus, classes: classes, features: options.features, sampling: options.sampling, classPoints: perClass,
            loadImage: { try locator.load($0, workingSide: side) }, progress: progress)
        let header = TrainingPointsFile.Header(
            features: options.features, classes: classes, pointsPerMention: options.sampling.pointsPerMention,
            pointsPerClass: options.sampling.pointsPerClass, seed: options.sampling.seed, images: points.imageIDs.count,
            mentions: data.mentions, skipped: data.skipped.map { [$0.imageID, $0.reason] })
        let bytes = try TrainingPointsFile.encode(header, points)
        try FileSystem.writeAtomically(to: options.output) { try $0.write(bytes) }
        return (data, points.count)
    }
}

/// `pointillist embed fit`: the model trained on the training sets of a corpus's shards
/// (`embed points`), merged in image order: the model `embed train` gives on the whole corpus.
public struct FitJob {
    public var points: [String]
    public var model: String
    public var training = TrainingOptions()

    public init(points: [String], model: String) {
        self.points = points
        self.model = model
    }

    public func run(progress: TrainJob.Progress = .init()) throws -> TrainJob.Report {
        let clock = ContinuousClock()
        let started = clock.now
        var header: TrainingPointsFile.Header?
        var parts: [LabelledPoints] = []
        var data = TrainingDataReport()
        for path in points {
            let (h, part) = try TrainingPointsFile.read(path)
            if let header, !header.sameSettings(as: h) {
                throw PointillistError(file: path, reason: "made with other classes, features or sampling than \(points[0])")
            }
            header = h
            parts.append(part)
            data.images += h.images - h.skipped.count
            data.mentions += h.mentions
            data.skipped += h.skipped.map { SkippedImage(imageID: $0[0], reason: $0.count > 1 ? $0[1] : "") }
        }
        guard let header else { throw PointillistError("no training points files given") }
        let merged = try LabelledPoints.merged(parts)
        data.points = merged.count
        var training = self.training
        training.seed = header.seed
        let sampling = TrainingSampling(pointsPerMention: header.pointsPerMention, pointsPerClass: header.pointsPerClass, seed: header.seed)
        let extracted = (clock.now - started) / .seconds(1)
        progress.extracted?(data, header.classes.count, extracted)
        let trained = try TrainJob.train(
            merged, classes: header.classes, features: header.features, sampling: sampling, training: training, to: model,
            progress: progress)
        return TrainJob.Report(
            classes: header.classes.count, data: data, extractionSeconds: extracted, model: trained, path: model,
            seconds: (clock.now - started) / .seconds(1))
    }
}
