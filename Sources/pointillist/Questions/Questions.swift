import ArgumentParser
import Embedding
import Foundation
import Imaging
import Narratives
import Pipeline
import Questions
import Store
import Vocabulary

extension ScoringRule: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument {
        case "mean": self = .meanOfTopK
        case "vote": self = .voteOfTopK
        default: return nil
        }
    }
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

    func validate() throws {
        if points < 1 { throw ValidationError("--points must be at least 1") }
        if !(exemplarThreshold >= 0 && exemplarThreshold < 1) { throw ValidationError("--exemplar-threshold must be at least 0 and below 1") }
        if k < 1 { throw ValidationError("--k must be at least 1") }
    }

    /// Ranks the classes at the sampled points of every image (`SampleJob.rank`), with a
    /// progress bar; unreadable images are reported (at most `report`) and skipped.
    func rankImages(db: String, images imageOptions: ImageOptions, quiet: Bool, report: Int) throws -> (SampleJob, SampleJob.Ranking) {
        guard FileManager.default.fileExists(atPath: db) else { throw ValidationError("no corpus at \(db)") }
        let bar = ProgressBar(enabled: !quiet)
        let job = try job(db: db, images: imageOptions)
        let ranking = try job.rank { done, total in bar.updateCount(done: done, total: total, label: "images") }
        bar.finish()
        for s in ranking.skipped.prefix(report) { Terminal.error("skipped image \(s.imageID): \(s.reason)") }
        return (job, ranking)
    }

    /// The sampling job these arguments describe.
    func job(db: String, images imageOptions: ImageOptions) throws -> SampleJob {
        var options = SampleJob.Options(database: db, images: try imageOptions.locator())
        options.model = model
        options.pointModel.sampling.pointsPerImage = points
        options.pointModel.sampling.seed = seed
        options.pointModel.k = k
        options.pointModel.rule = rule
        options.pointModel.classBalanced = balanced
        options.pointModel.prior = prior
        options.pointModel.exemplarThreshold = exemplarThreshold
        return SampleJob(options: options)
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

    /// Mask value → dictionary class id, and the mask classes the dictionary lacks.
    func mapping(to classes: [ClassEntry]) throws -> (classOf: [Int: Int], unmapped: [String]) {
        MaskClasses.mapping(try MaskClasses.read(maskClasses ?? MaskClasses.defaultPath(masks: masks)), to: classes)
    }

    /// Reads the mask of an image as stored (one grey channel).
    func loader() throws -> @Sendable (String) throws -> Image {
        let locator = try ImageLocator(root: masks, pattern: "{id}.png")
        return { try locator.load($0, layout: .asStored) }
    }
}

extension MaskClasses {
    /// `classes.tsv` beside the masks directory, where `pointillist scenes` writes it.
    static func defaultPath(masks: String) -> String {
        URL(fileURLWithPath: masks).deletingLastPathComponent().appendingPathComponent("classes.tsv").path
    }

    static func read(_ path: String) throws -> [Int: String] {
        try parse(String(contentsOfFile: path, encoding: .utf8), path: path)
    }

    static func mapping(_ names: [Int: String], to classes: [ClassEntry]) -> (classOf: [Int: Int], unmapped: [String]) {
        mapping(names, to: classes.map { (id: $0.id, name: $0.name) })
    }
}
