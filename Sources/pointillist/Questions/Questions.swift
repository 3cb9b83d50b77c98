import ArgumentParser
import Imaging
import Pipeline
import Questions

extension ScoringRule: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument {
        case "mean": self = .meanOfTopK
        case "vote": self = .voteOfTopK
        default: return nil
        }
    }

    /// As typed: the help shows the default this way.
    public var defaultValueDescription: String {
        switch self {
        case .meanOfTopK: "mean"
        case .voteOfTopK: "vote"
        }
    }

    public static var allValueStrings: [String] { ["mean", "vote"] }
}

/// How M is built and points are sampled.
struct PointModelArguments: ParsableArguments {
    @Option(help: ArgumentHelp("The embedding model (default: beside the database, <name>.embedding).", valueName: "path"))
    var model: String?

    @Option(help: "Points sampled per image.")
    var points = SamplingOptions().pointsPerImage

    @Option(help: "Seed of the point sampling (with the image id).")
    var seed = SamplingOptions().seed

    @Option(help: "Nearest exemplars M looks at.")
    var k = PointModelOptions().k

    @Option(
        help: ArgumentHelp(
            "Scoring rule of M: mean (mean similarity of each class's k nearest exemplars) or vote (votes among the k nearest).", valueName: "rule"))
    var rule: ScoringRule = PointModelOptions().rule

    @Flag(help: "Sample in equal proportion per class of M's prediction instead of uniformly.")
    var balanced = false

    @Option(
        help: "Weight of the embedding classifier's log-probability (among the image's classes) added to M's neighbour scores; 0: neighbours alone.")
    var prior = PointModelOptions().prior

    @Option(
        name: .customLong("exemplar-threshold"),
        help:
            "Leave out of M the trace points whose class the classifier gives a lower probability among the image's classes (strays onto a neighbour); 0 keeps all."
    )
    var exemplarThreshold = PointModelOptions().exemplarThreshold

    @Option(
        name: .customLong("model-candidates"),
        help: ArgumentHelp(
            "Also make a candidate of every class the embedding classifier gives at least this probability (among all its classes) at one of an image's sampled points, ranked as a class only an image label names; 0: none (none either with --prior 0).",
            valueName: "p"))
    var modelCandidates = PointModelOptions().modelCandidates

    @Option(
        name: .customLong("bank-weight"),
        help: ArgumentHelp(
            "For a candidate without traces in the image (from a label or the model): add this times how much more the point resembles that class's exemplar bank (typical points from the training images, kept with the model) than the bank of M's best class there; 0: the bank is not used.",
            valueName: "w"))
    var bankWeight = PointModelOptions().bankWeight

    @Option(
        name: .customLong("coherence-radius"),
        help: ArgumentHelp(
            "Average M's scores at a point with those at 8 points on a ring of this radius (a share of the image's longer side) that look like it (embeddings at least --coherence-similarity alike); 0: the point alone.",
            valueName: "r"))
    var coherenceRadius = PointModelOptions().coherenceRadius

    @Option(
        name: .customLong("coherence-similarity"),
        help: ArgumentHelp("How alike (cosine of the embeddings) a ring point must be to count with the point.", valueName: "s"))
    var coherenceSimilarity = PointModelOptions().coherenceSimilarity

    @Option(
        name: .customLong("image-labels"),
        help: ArgumentHelp(
            "Image-level labels in Open Images' layout (ImageID,Source,LabelName,Confidence; plain or gzip; repeatable), mapped to classes by MID: a class verified present becomes a candidate of its image even when no narrative mentions it (ranked by the classifier against M's best); one verified absent is never asked.",
            valueName: "file"))
    var imageLabels: [String] = []

    func validate() throws {
        if points < 1 { throw ValidationError("--points must be at least 1") }
        if !(exemplarThreshold >= 0 && exemplarThreshold < 1) { throw ValidationError("--exemplar-threshold must be at least 0 and below 1") }
        if k < 1 { throw ValidationError("--k must be at least 1") }
        if !(modelCandidates >= 0 && modelCandidates <= 1) { throw ValidationError("--model-candidates must be from 0 to 1") }
        if !(bankWeight >= 0 && bankWeight.isFinite) { throw ValidationError("--bank-weight must be a number at least 0") }
        if !(coherenceRadius >= 0 && coherenceRadius < 0.5) { throw ValidationError("--coherence-radius must be at least 0 and below 0.5") }
        if !(coherenceSimilarity >= -1 && coherenceSimilarity <= 1) { throw ValidationError("--coherence-similarity must be from -1 to 1") }
    }

    /// The sampling these arguments describe.
    func options(db: String, images imageOptions: ImageOptions) throws -> SampleJob.Options {
        var options = SampleJob.Options(database: db, images: try imageOptions.locator())
        options.model = model
        options.pointModel.sampling.pointsPerImage = points
        options.pointModel.sampling.seed = seed
        options.pointModel.k = k
        options.pointModel.rule = rule
        options.pointModel.classBalanced = balanced
        options.pointModel.prior = prior
        options.pointModel.exemplarThreshold = exemplarThreshold
        options.pointModel.modelCandidates = modelCandidates
        options.pointModel.bankWeight = bankWeight
        options.pointModel.coherenceRadius = coherenceRadius
        options.pointModel.coherenceSimilarity = coherenceSimilarity
        options.imageLabels = imageLabels
        return options
    }
}

extension Pointillist {
    struct Questions: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "questions",
            abstract: "Point questions: M per image, sampled points, batches, rounds, and the quality report.",
            discussion: """
                For each image, M is a nearest-neighbour model over the embedded trace points of the \
                classes its narratives mention; points are sampled uniformly (or class-balanced) and each \
                gets M's ranked classes. The first question at a point asks its top class.
                """,
            subcommands: [Sample.self, Batch.self, Simulate.self, Answers.self, Next.self, Export.self, Report.self])
    }
}

/// Ground-truth class masks of generated scenes (`pointillist scenes` layout) and the table
/// naming their values, for the report and the simulated annotators.
struct MaskOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Ground-truth class masks (grey PNG per image, `pointillist scenes` layout).", valueName: "dir"))
    var masks: String

    @Option(
        name: .customLong("mask-classes"), help: ArgumentHelp("TSV naming the mask values (default <masks>/../classes.tsv).", valueName: "path"))
    var maskClasses: String?

    var groundTruth: GroundTruthMasks { GroundTruthMasks(folder: masks, classTable: maskClasses) }
}

/// Reports the first `limit` images a stage could not read, on standard error.
func reportSkipped(_ skipped: [SkippedImage], limit: Int) {
    for s in skipped.prefix(limit) { Terminal.error("skipped image \(s.imageID): \(s.reason)") }
}

/// The image-level label files' counts on standard output, and their first rejected rows
/// (file, line and field) on standard error.
func reportImageLabels(_ labels: ImageLevelLabels, limit: Int = 10) {
    print(
        "image labels \(labels.rows) rows: \(labels.presentRows) verified present, \(labels.absentRows) verified absent, \(labels.unverifiedRows) unverified, \(labels.rejected.count) rejected"
    )
    for error in labels.rejected.prefix(limit) { Terminal.error("rejected \(error)") }
    if labels.rejected.count > limit { Terminal.error("… and \(labels.rejected.count - limit) more rejected rows") }
}
