import Embedding
import Imaging
import Questions
import Store
import Vocabulary

/// `pointillist questions sample`: M for every image with mentions, its sampled points ranked,
/// and the first-round questions stored (images already sampled are skipped, so an
/// interrupted run resumes).
public struct SampleJob {
    public struct Options: Sendable {
        public var database: String
        public var images: ImageLocator
        /// nil: beside the database (`DefaultPaths.model`).
        public var model: String?
        public var pointModel = PointModelOptions()
        /// Image-level label files (Open Images layout): verified-present classes become
        /// candidates of their image, verified-absent ones are never asked.
        public var imageLabels: [String] = []

        public init(database: String, images: ImageLocator) {
            self.database = database
            self.images = images
        }

        public var modelPath: String { model ?? DefaultPaths.model(database) }
    }

    /// The images ranked, with what the ranking needed.
    public struct Ranking {
        public var corpus: Corpus
        public var builder: PointModelBuilder
        /// The mentions M was built from, by image (for another ranking of the same images).
        public var mentions: [(imageID: String, mentions: PointModelBuilder.Mentions)]
        public var images: [ImagePoints]
        /// Each ranked image's size as stored (its header), for the batch files' pixel coordinates.
        public var sizes: [String: ImageSize]
        public var skipped: [SkippedImage]
        /// The image-level labels read, when files were given.
        public var labels: ImageLevelLabels?
        /// The dictionary's classes.
        public var classes: [ClassEntry]
    }

    public struct Report: Sendable {
        public var stored: SamplingReport
        public var skipped: [SkippedImage]
        /// The image-level labels read, when files were given (their rejected rows included).
        public var labels: ImageLevelLabels?
    }

    public var options: Options

    public init(options: Options) {
        self.options = options
    }

    /// M built and the points ranked for every image, nothing stored (`questions report` too).
    /// `progress` gets images done and the total.
    public func rank(progress: ((Int, Int) -> Void)? = nil) throws -> Ranking {
        let corpus = try Corpus.existing(options.database)
        var builder = PointModelBuilder(model: try ModelFile.read(options.modelPath), options: options.pointModel)
        let classes = try corpus.storedDictionary().classes
        var labels: ImageLevelLabels?
        if !options.imageLabels.isEmpty {
            let read = try ImageLevelLabels.read(options.imageLabels)
            builder.labels = read.classSets(classesOfMID: Self.classesOfMID(classes)).sets
            labels = read
        }
        let (locator, side) = (options.images, builder.model.features.decodeSide)
        let mentions = try corpus.mentionsByImage()
        let (images, skipped) = builder.run(mentions, loadImage: { try locator.load($0, workingSide: side) }, progress: progress)
        // Decoding may have reduced an image: its header gives the size annotators see.
        var sizes: [String: ImageSize] = [:]
        for image in images {
            let s = try locator.size(image.imageID)
            sizes[image.imageID] = ImageSize(width: s.width, height: s.height)
        }
        return Ranking(
            corpus: corpus, builder: builder, mentions: mentions, images: images, sizes: sizes, skipped: skipped, labels: labels,
            classes: classes)
    }

    /// The dictionary classes carrying each Open Images MID.
    static func classesOfMID(_ classes: [ClassEntry]) -> [String: [Int]] {
        var found: [String: [Int]] = [:]
        for c in classes {
            for mid in c.openImagesMIDs { found[mid, default: []].append(c.id) }
        }
        return found
    }

    /// Stores the first-round questions of a ranking.
    public func store(_ ranking: Ranking) throws -> Report {
        Report(
            stored: try ranking.corpus.storeFirstRound(ranking.images, sizes: ranking.sizes), skipped: ranking.skipped, labels: ranking.labels)
    }

    public func run(progress: ((Int, Int) -> Void)? = nil) throws -> Report {
        try store(try rank(progress: progress))
    }
}
