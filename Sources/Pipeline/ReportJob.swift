import Imaging
import Questions
import Store

/// `pointillist questions report`: the question stage measured on generated scenes against
/// their ground-truth masks. The images are ranked as `questions sample` would (nothing is
/// stored); M is scored beside two baselines (a random order of the image's classes, the class
/// of the nearest trace point) and, when the classifier prior is on, beside M with neighbours
/// alone.
public struct ReportJob {
    public struct Options: Sendable {
        public var sample: SampleJob.Options
        public var masks: GroundTruthMasks

        public init(sample: SampleJob.Options, masks: GroundTruthMasks) {
            self.sample = sample
            self.masks = masks
        }
    }

    public struct Report: Sendable {
        public var quality: QualityReport
        /// The same points ranked by M without the classifier prior; nil when the prior is 0.
        public var neighboursOnly: QualityReport?
        /// With image-level labels or model candidates: the same points ranked from fewer
        /// candidate sources (mentions only, then each source alone when both are on), named.
        public var alternatives: [(name: String, quality: QualityReport)] = []
        /// The name of the candidate sources of `quality`.
        public var sources = "mentions only"
        public var skipped: [SkippedImage]
        /// Mask classes the dictionary lacks.
        public var unmapped: [String]
        public var classNames: [Int: String]
        /// With image-level labels: the files read, and what they change.
        public var labels: ImageLevelLabels?
        public var labelEffect: LabelEffect?
    }

    public var options: Options

    public init(options: Options) {
        self.options = options
    }

    /// `progress` gets images ranked and the total.
    public func run(progress: ((Int, Int) -> Void)? = nil) throws -> Report {
        let ranking = try SampleJob(options: options.sample).rank(progress: progress)
        let classes = ranking.classes
        let (classOf, unmapped) = try options.masks.mapping(to: classes.map { (id: $0.id, name: $0.name) })
        let mask = try options.masks.loader()
        let seed = options.sample.pointModel.sampling.seed
        var report = Report(
            quality: QuestionQuality.report(ranking.images, seed: seed, mask: mask, classOf: classOf), skipped: ranking.skipped,
            unmapped: unmapped, classNames: Dictionary(classes.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }))
        // The same images ranked from fewer candidate sources, by the same model and mentions.
        let model = options.sample.pointModel.modelCandidates
        let labelled = ranking.labels != nil
        report.sources = Self.name(labels: labelled, model: model)
        var variants: [(labels: Bool, model: Double)] = []
        if labelled || model > 0 { variants.append((false, 0)) }
        if labelled && model > 0 { variants += [(false, model), (true, 0)] }
        let (locator, side) = (options.sample.images, ranking.builder.model.features.decodeSide)
        for variant in variants {
            var builder = ranking.builder
            builder.options.modelCandidates = variant.model
            if !variant.labels { builder.labels = [:] }
            let (images, _) = builder.run(ranking.mentions, loadImage: { try locator.load($0, workingSide: side) })
            let name = Self.name(labels: variant.labels, model: variant.model)
            report.alternatives.append((name, QuestionQuality.report(images, seed: seed, mask: mask, classOf: classOf)))
            if let labels = ranking.labels, !variant.labels, variant.model == 0 {
                report.labels = labels
                report.labelEffect = QuestionQuality.labelEffect(images, labels: labels, classesOfMID: SampleJob.classesOfMID(classes))
            }
        }
        if options.sample.pointModel.prior > 0 {
            var neighboursOnly = ranking.builder
            neighboursOnly.options.prior = 0
            let (plain, _) = neighboursOnly.run(ranking.mentions, loadImage: { try locator.load($0, workingSide: side) })
            report.neighboursOnly = QuestionQuality.report(plain, seed: seed, mask: mask, classOf: classOf)
        }
        return report
    }

    /// A ranking's candidate sources, as the report names them.
    static func name(labels: Bool, model: Double) -> String {
        switch (labels, model > 0) {
        case (false, false): "mentions only"
        case (false, true): "+ model candidates (\(model))"
        case (true, false): "+ image labels"
        case (true, true): "+ labels and model (\(model))"
        }
    }
}
