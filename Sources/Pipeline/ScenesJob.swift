import Scenes
import Support
import Vocabulary

/// `pointillist scenes`: generated scenes with ground truth, and their image-level labels in
/// Open Images' layout, the classes named by their Open Images MIDs (matched by name in the
/// Open Images class list, as the dictionary matches its classes).
public struct ScenesJob {
    public var configuration: SceneConfiguration
    public var count: Int
    public var folder: String
    /// The Open Images class list (MID,DisplayName); nil: no image-labels.csv.
    public var openImages: String?

    public init(configuration: SceneConfiguration, count: Int, folder: String, openImages: String?) {
        self.configuration = configuration
        self.count = count
        self.folder = folder
        self.openImages = openImages
    }

    public struct Report: Sendable {
        public var summary: GenerationSummary
        public var classes: [String]
        /// Classes without an Open Images MID (no image-level labels), when labels were written.
        public var unlabelled: [String]
        public var labelsWritten: Bool
    }

    public func run(progress: @escaping (Int) -> Void = { _ in }) throws(PointillistError) -> Report {
        let generator = try SceneGenerator(configuration: configuration)
        var labels: SceneImageLabels?
        if let openImages {
            let list = try OpenImagesClasses(path: openImages)
            var mids: [String: String] = [:]
            for c in generator.classes { mids[c.name] = list.match(name: c.name, lemmas: [])?.mid }
            labels = SceneImageLabels(mids: mids, seed: configuration.seed)
        }
        let summary = try generator.write(count: count, into: folder, labels: labels, progress: progress)
        return Report(
            summary: summary, classes: generator.classes.map(\.name), unlabelled: labels?.unlabelled(generator.classes) ?? [],
            labelsWritten: labels != nil)
    }
}
