import Imaging
import Questions
import Store
import Support

/// `pointillist render`: one image drawn with its mentions' trace segments, coloured by class,
/// and its sampled points, each coloured by the class of its latest question and marked with
/// its aggregated answer, with a legend naming the classes; written as PNG.
public struct RenderJob {
    public struct Options: Sendable {
        public var database: String
        public var images: ImageLocator
        public var imageID: String
        /// nil: `<image id>.png` in the current folder, path separators in the id replaced by `_`.
        public var out: String?
        /// Longer side of the drawn photo at most.
        public var maxSide = Options.defaultMaxSide
        public static let defaultMaxSide = 800

        public init(database: String, images: ImageLocator, imageID: String) {
            self.database = database
            self.images = images
            self.imageID = imageID
        }

        public var outputPath: String { out ?? imageID.replacingOccurrences(of: "/", with: "_") + ".png" }
    }

    public struct Report: Sendable {
        public var path: String
        public var traces: Int
        public var points: Int
        public var classes: Int
    }

    public var options: Options

    public init(options: Options) {
        self.options = options
    }

    public func run() throws -> Report {
        let corpus = try Corpus.existing(options.database)
        let image = try options.images.load(options.imageID)
        var legend = Legend()
        let traces = try corpus.mentions(imageID: options.imageID).filter { !$0.points.isEmpty }.map { mention in
            OverlayTrace(classIndex: legend.index(mention.classID), points: mention.points.map { (x: $0.x, y: $0.y) })
        }
        let hasNarrative = try !corpus.narratives(imageID: options.imageID).isEmpty
        guard !traces.isEmpty || hasNarrative else {
            throw PointillistError("image \(options.imageID) has no narrative in \(corpus.path)")
        }
        let points = try latestQuestions(corpus).map { q, label in
            OverlayPoint(x: q.x, y: q.y, classIndex: legend.index(q.classID), label: label?.rawValue)
        }
        let names = try corpus.classesByID()
        // Small images are enlarged first so traces, points and legend text stay legible.
        let factor = max(1, min(4, 640 / max(image.width, image.height)))
        let figure = Overlay.render(
            image: image.upscaled(by: factor), traces: traces, points: points,
            classNames: legend.classIDs.map { names[$0]?.name ?? "class \($0)" },
            title: "\(options.imageID): traces and point questions", maxSide: options.maxSide)
        try FileSystem.writeAtomically(to: options.outputPath) { try $0.write(PNGFile.encode(figure)) }
        return Report(path: options.outputPath, traces: traces.count, points: points.count, classes: legend.classIDs.count)
    }

    /// Each sampled point's latest question, in point order, with its aggregated label.
    func latestQuestions(_ corpus: Corpus) throws -> [(Question, PointLabel?)] {
        let labels = Aggregation.aggregate(try corpus.answers(), rule: AggregationRule())
        var latest: [Int: Question] = [:]
        for q in try corpus.questions(imageID: options.imageID) {
            if let seen = latest[q.pointIndex], seen.round >= q.round { continue }
            latest[q.pointIndex] = q
        }
        return latest.keys.sorted().compactMap { i in latest[i].map { ($0, labels[$0.id]?.label) } }
    }

    /// Class ids in order of first appearance: the legend's rows.
    struct Legend {
        var classIDs: [Int] = []

        mutating func index(_ classID: Int) -> Int {
            if let i = classIDs.firstIndex(of: classID) { return i }
            classIDs.append(classID)
            return classIDs.count - 1
        }
    }
}
