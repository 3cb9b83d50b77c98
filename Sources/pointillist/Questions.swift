import ArgumentParser
import Embedding
import Foundation
import Imaging
import Questions
import Store

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
    var points = 11

    @Option(help: "Seed of the point sampling (with the image id).")
    var seed: UInt64 = 1

    @Option(help: "Nearest exemplars M looks at.")
    var k = 5

    @Option(help: ArgumentHelp("Scoring rule of M: mean (mean similarity of each class's k nearest exemplars) or vote (votes among the k nearest).", valueName: "rule"))
    var rule: ScoringRule = .meanOfTopK

    @Flag(help: "Sample in equal proportion per class of M's prediction instead of uniformly.")
    var balanced = false

    func validate() throws {
        if points < 1 { throw ValidationError("--points must be at least 1") }
        if k < 1 { throw ValidationError("--k must be at least 1") }
    }

    func modelPath(_ db: String) -> String { model ?? Format.besideDatabase(db, suffix: ".embedding") }

    func builder(_ db: String) throws -> PointModelBuilder {
        var options = PointModelOptions()
        options.sampling.pointsPerImage = points
        options.sampling.seed = seed
        options.k = k
        options.rule = rule
        options.classBalanced = balanced
        return PointModelBuilder(model: try ModelFile.read(modelPath(db)), options: options)
    }
}

extension Pointillist {
    struct Questions: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Point questions: M per image, sampled points, batches, rounds, and the quality report.",
            discussion: """
                For each image, M is a nearest-neighbour model over the embedded trace points of the \
                classes its narratives mention; points are sampled uniformly (or class-balanced) and each \
                gets M's ranked classes. The first question at a point asks its top class.
                """,
            subcommands: [Report.self])
    }
}

extension Pointillist.Questions {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure the question stage on generated scenes against ground-truth masks, with two baselines.",
            discussion: """
                For every sampled point the true class is read from the mask. Reported for M and, in the \
                same run, for a random order of the image's classes and for the class of the nearest trace \
                point in image coordinates: the share of points whose first question is a Yes and the mean \
                number of questions until a Yes (a perfect annotator). Targets: first Yes ≥ 85%, mean ≤ 1.3.
                """)

        @OptionGroup var corpus: CorpusOption
        @OptionGroup var imageOptions: ImageOptions
        @OptionGroup var m: PointModelArguments

        @Option(help: ArgumentHelp("Ground-truth class masks (grey PNG per image, `pointillist scenes` layout).", valueName: "dir"))
        var masks: String

        @Option(name: .customLong("mask-classes"), help: ArgumentHelp("TSV naming the mask values (default <masks>/../classes.tsv).", valueName: "path"))
        var maskClasses: String?

        @Flag(help: "No progress bar.")
        var quiet = false

        func run() throws {
            guard FileManager.default.fileExists(atPath: corpus.db) else { throw ValidationError("no corpus at \(corpus.db)") }
            let store = try Corpus(path: corpus.db)
            let builder = try m.builder(corpus.db)
            let locator = try imageOptions.locator()
            let bar = ProgressBar(enabled: !quiet)
            let (images, skipped) = try builder.run(corpus: store, loadImage: { try locator.load($0) }) { done, total in
                bar.updateCount(done: done, total: total, label: "images")
            }
            bar.finish()
            for s in skipped.prefix(5) { Terminal.error("skipped image \(s.imageID): \(s.reason)") }
            let names = try MaskClasses.read(maskClasses ?? URL(fileURLWithPath: masks).deletingLastPathComponent().appendingPathComponent("classes.tsv").path)
            let dictionary = try store.storedDictionary().classes
            let idOfName = Dictionary(dictionary.map { ($0.name, $0.id) }, uniquingKeysWith: { a, _ in a })
            let classOf = names.compactMapValues { idOfName[$0] }
            let unmapped = Set(names.values).subtracting(idOfName.keys).sorted()
            let maskLocator = try ImageLocator(root: masks, pattern: "{id}.png")
            let r = QuestionQuality.report(images, seed: m.seed, mask: { try maskLocator.load($0, layout: .asStored) }, classOf: classOf)
            print("images       \(r.images) (\(skipped.count) skipped), \(r.points) sampled points (\(m.points) per image\(m.balanced ? ", class-balanced" : "")), \(r.unlabelled) over void or classes not in the dictionary")
            if !unmapped.isEmpty { print("             mask classes not in the dictionary: \(unmapped.joined(separator: ", "))") }
            print(String(format: "             the true class is among the image's mentioned classes at %.1f%% of the points", 100 * r.mentionedShare))
            print("ranking                      first question Yes   questions to Yes   never Yes")
            for (name, f) in [("M (embedding, k = \(m.k))", r.model), ("random image class", r.random), ("nearest trace point", r.nearestTrace)] {
                print(String(format: "%@ %17.1f%% %18.2f %10.1f%%", name.padding(toLength: 28, withPad: " ", startingAt: 0), 100 * f.firstYes, f.meanQuestionsToYes, 100 * f.neverYes))
            }
            let pass = r.model.firstYes >= 0.85 && r.model.meanQuestionsToYes <= 1.3
            let better = r.model.firstYes > r.random.firstYes && r.model.firstYes > r.nearestTrace.firstYes
            print("targets      first Yes ≥ 85% and questions to Yes ≤ 1.3: \(pass ? "PASS" : "FAIL"); better than both baselines: \(better ? "PASS" : "FAIL")")
        }
    }
}

/// The `classes.tsv` of generated scenes: mask value → class name.
enum MaskClasses {
    static func read(_ path: String) throws -> [Int: String] {
        var names: [Int: String] = [:]
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            if f.count >= 2, let index = Int(f[0]), !f[1].isEmpty, f[1] != "void" { names[index] = String(f[1]) }
        }
        guard !names.isEmpty else { throw ValidationError("no class names in \(path)") }
        return names
    }
}
