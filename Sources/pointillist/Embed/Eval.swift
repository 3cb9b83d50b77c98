import ArgumentParser
import Pipeline
import Questions

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
        var k = EvalJob.Scoring().k

        @Option(help: "Training points used as the neighbours' pool at most (evenly sampled).")
        var reference = EvalJob.Scoring().reference

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

        func validate() throws {
            if k < 1 || reference < 1 { throw ValidationError("--k and --reference must be at least 1") }
        }

        func run() throws {
            var options = EvalJob.Options(database: corpus.db, images: try imageOptions.locator())
            options.model = model
            options.scoring.k = k
            options.scoring.reference = reference
            options.masks = masks.map { GroundTruthMasks(folder: $0, classTable: maskClasses) }
            let bar = ProgressBar(enabled: !quiet)
            let r = try EvalJob(options: options).run { done, total in bar.updateCount(done: done, total: total, label: "images") }
            bar.finish()
            let h = r.heldOut
            print("model        \(r.modelPath): \(r.classes) classes, embedding \(r.embeddingDimension)")
            print("held out     \(h.points) trace points on \(h.neighbourImages) images (\(r.skippedImages) images skipped)")
            print(String(format: "classifier   top-1 %.1f%%   top-5 %.1f%%", 100 * h.top1, 100 * h.top5))
            print(
                String(
                    format: "neighbours   embedding %.1f%%   raw features %.1f%%   most frequent class %.1f%%   (k = %d, pool %d points)",
                    100 * h.embeddingAccuracy, 100 * h.rawAccuracy, 100 * h.majorityAccuracy, k, r.pool))
            print("             (against the class of the mention each trace point belongs to)")
            if let (g, dropped) = r.groundTruth {
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
