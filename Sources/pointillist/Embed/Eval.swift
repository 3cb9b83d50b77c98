import ArgumentParser
import Embedding
import Foundation
import Imaging
import Narratives
import Pipeline
import Questions
import Store
import Support

extension Pointillist.Embed {
    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "eval",
            abstract: "Held-out accuracy: the classifier (top-1, top-5) and nearest neighbours (embedding vs raw features).",
            discussion: """
                Rebuilds the model's data (same classes, sampling and seed) and scores the validation \
                images. Nearest neighbours: each held-out trace point takes the majority class of its k \
                nearest training points among the classes mentioned for its image, compared in the \
                embedding (cosine) and in the standardised raw features (Euclidean).
                """)

        @OptionGroup var corpus: CorpusOption
        @OptionGroup var imageOptions: ImageOptions

        @Option(help: ArgumentHelp("The model file (default: beside the database, <name>.embedding).", valueName: "path"))
        var model: String?

        @Option(help: "Neighbours that vote.")
        var k = 10

        @Option(help: "Training points used as the neighbours' pool at most (evenly sampled).")
        var reference = 20000

        @Option(
            help: ArgumentHelp(
                "Ground-truth class masks (grey PNG, one class value per pixel), as `pointillist scenes` writes them: also score against the class under each point.",
                valueName: "dir"))
        var masks: String?

        @Option(
            name: .customLong("mask-classes"),
            help: ArgumentHelp("TSV naming the mask values (columns index, name; default <masks>/../classes.tsv).", valueName: "path"))
        var maskClasses: String?

        @Flag(help: "No progress bar.")
        var quiet = false

        func run() throws {
            let path = model ?? DefaultPaths.model(corpus.db)
            let trained = try ModelFile.read(path)
            guard FileManager.default.fileExists(atPath: corpus.db) else { throw ValidationError("no corpus at \(corpus.db)") }
            let store = try Corpus(path: corpus.db)
            let locator = try imageOptions.locator()
            var sampling = TrainingSampling()
            sampling.seed = trained.training.seed
            if trained.training.pointsPerMention > 0 { sampling.pointsPerMention = trained.training.pointsPerMention }
            if trained.training.pointsPerClass > 0 { sampling.pointsPerClass = trained.training.pointsPerClass }
            let bar = ProgressBar(enabled: !quiet)
            let (points, data) = try TrainingData.labelledPoints(
                corpus: store,
                classes: trained.classes, features: trained.features, sampling: sampling,
                loadImage: { [side = trained.features.decodeSide] in try locator.load($0, workingSide: side) }
            ) { done, total in bar.updateCount(done: done, total: total, label: "images") }
            bar.finish()
            let held = { (i: Int32) in
                Trainer.isValidation(points.imageIDs[Int(i)], seed: trained.training.seed, fraction: trained.training.validationFraction)
            }
            let heldOut = points.filter(images: held)
            var pool = points.filter { !held($0) }
            if pool.count > reference {
                let step = Double(pool.count) / Double(reference)
                var sampled = LabelledPoints(dimension: pool.dimension)
                sampled.imageIDs = pool.imageIDs
                for t in 0..<reference {
                    let i = Int(Double(t) * step)
                    sampled.append(
                        features: Array(pool.features[(i * pool.dimension)..<((i + 1) * pool.dimension)]), label: pool.labels[i],
                        image: pool.images[i], mention: pool.mentions[i])
                }
                pool = sampled
            }
            let r = Evaluation.evaluate(trained, on: heldOut, reference: pool, k: k)
            print("model        \(path): \(trained.classes.count) classes, embedding \(trained.network.embeddingDimension)")
            print("held out     \(r.points) trace points on \(r.neighbourImages) images (\(data.skipped.count) images skipped)")
            print(String(format: "classifier   top-1 %.1f%%   top-5 %.1f%%", 100 * r.top1, 100 * r.top5))
            print(
                String(
                    format: "neighbours   embedding %.1f%%   raw features %.1f%%   most frequent class %.1f%%   (k = %d, pool %d points)",
                    100 * r.embeddingAccuracy, 100 * r.rawAccuracy, 100 * r.majorityAccuracy, k, pool.count))
            print("             (against the class of the mention each trace point belongs to)")
            if let masks {
                let names = try MaskClasses.read(maskClasses ?? MaskClasses.defaultPath(masks: masks))
                let maskLocator = try ImageLocator(root: masks, pattern: "{id}.png")
                let (truth, dropped) = Evaluation.relabel(heldOut, classes: trained.classes, names: names) {
                    try maskLocator.load($0, layout: .asStored)
                }
                let g = Evaluation.evaluate(trained, on: truth, reference: pool, k: k)
                print(
                    "ground truth \(g.points) held-out trace points scored against the mask class under them (\(dropped) over void or unknown classes)"
                )
                print(String(format: "classifier   top-1 %.1f%%   top-5 %.1f%%", 100 * g.top1, 100 * g.top5))
                print(
                    String(
                        format: "neighbours   embedding %.1f%%   raw features %.1f%%   most frequent class %.1f%%",
                        100 * g.embeddingAccuracy, 100 * g.rawAccuracy, 100 * g.majorityAccuracy))
            }
        }
    }
}
