import ArgumentParser
import Embedding
import Foundation
import Imaging
import Narratives
import Questions
import Store
import Support

/// Where images are and how their files are named.
struct ImageOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Directory holding the images.", valueName: "dir"))
    var images: String

    @Option(
        help: ArgumentHelp(
            "File name pattern under the image directory: {id} is the image id, {id:012} zero-pads a numeric id (Open Images: {id}.jpg; COCO: {id:012}.jpg; VidLN: {id}.jpg with ids like OVIS_train/<video>/<frame>).",
            valueName: "pattern"))
    var pattern: String = "{id}.jpg"

    func locator() throws -> ImageLocator {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: images, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("image directory '\(images)' not found")
        }
        return try ImageLocator(root: images, pattern: pattern)
    }
}

extension Pointillist {
    struct Embed: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "embed",
            abstract: "Train and evaluate the class-generic pixel embedding on mouse-trace points.",
            discussion: """
                train: a per-pixel classifier (an MLP over colour and texture features) trained on the \
                trace points of the classes marked for training in the dictionary; its last hidden layer \
                is the embedding. eval: held-out accuracy of the classifier, and nearest-neighbour \
                accuracy of the embedding against raw features. show: what a model file holds.
                """,
            subcommands: [Train.self, Eval.self, Show.self])
    }
}

extension Pointillist.Embed {
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "train",
            abstract: "Train the embedding on the trace points of the dictionary's training classes.",
            discussion: """
                Images are split into training and validation by a hash of their id and the seed; \
                training stops when the validation loss has not improved for --patience epochs and keeps \
                the best epoch. The same corpus, images and seed give the same model file.

                Label cleaning: a trace strays onto the neighbours of what is named, so many trace \
                points carry the wrong class. After the first training, points whose class gets a \
                probability below --clean-threshold among the classes of their image are set aside and \
                the network is trained again on the rest, --clean-rounds times (0: no cleaning).
                """)

        @OptionGroup var corpus: CorpusOption
        @OptionGroup var imageOptions: ImageOptions

        @Option(help: ArgumentHelp("Model file to write (default: beside the database, <name>.embedding).", valueName: "path"))
        var model: String?

        @Option(help: ArgumentHelp("Hidden layer widths before the embedding layer, comma-separated.", valueName: "n,…"))
        var hidden: String = "128"

        @Option(help: ArgumentHelp("Embedding dimension (the last hidden layer).", valueName: "n"))
        var dimension = 64

        @Option(help: "Maximum number of epochs.")
        var epochs = 40

        @Option(help: "Examples per mini-batch.")
        var batch = 256

        @Option(name: .customLong("learning-rate"), help: "Adam learning rate.")
        var learningRate: Float = 2e-3

        @Option(help: "Epochs without validation improvement before stopping.")
        var patience = 5

        @Option(help: "Share of images held out for validation.")
        var validation = 0.15

        @Option(name: .customLong("points-per-mention"), help: "Trace points sampled per mention at most.")
        var pointsPerMention = 48

        @Option(name: .customLong("points-per-class"), help: "About this many points per class at most.")
        var pointsPerClass = 8000

        @Option(name: .customLong("clean-rounds"), help: "Label-cleaning rounds after the first training (0: none).")
        var cleanRounds = TrainingOptions().cleaningRounds

        @Option(name: .customLong("clean-threshold"), help: "A point is set aside when its class gets a lower probability among its image's classes.")
        var cleanThreshold = TrainingOptions().cleaningThreshold

        @Option(
            name: .customLong("working-side"),
            help: ArgumentHelp(
                "Working resolution, recorded in the model: the feature tables have about this longer side. Without a detail side, images are decoded reduced to it (JPEG inside the DCT at 1/2, 1/4 or 1/8; PNG by an integer box: the smallest size whose longer side is at least this). 0: full resolution.",
                valueName: "px"))
        var workingSide = FeatureConfiguration.defaultWorkingSide

        @Option(
            name: .customLong("detail-side"),
            help: ArgumentHelp(
                "Detail resolution, recorded in the model: images are decoded (by the same rule) to at least this side instead; gradients, L* variance and the pixel's colour are computed there and pooled into tables of the working side's size, keeping the fine texture. 0: none (faster, less accurate on large photos).",
                valueName: "px"))
        var detailSide = FeatureConfiguration.defaultDetailSide

        @Option(help: "Seed for the split, the initial weights, the batch order and the sampling.")
        var seed: UInt64 = 1

        @Flag(help: "Print only the summary: no progress bar, no per-epoch lines.")
        var quiet = false

        func validate() throws {
            guard let h = hiddenSizes, h.allSatisfy({ $0 > 0 }) else {
                throw ValidationError("--hidden must be positive integers, e.g. 128 or 256,128")
            }
            if dimension < 1 { throw ValidationError("--dimension must be at least 1") }
            if epochs < 1 || batch < 1 || patience < 1 { throw ValidationError("--epochs, --batch and --patience must be at least 1") }
            if !(validation > 0 && validation < 1) { throw ValidationError("--validation must be between 0 and 1") }
            if cleanRounds < 0 { throw ValidationError("--clean-rounds must be 0 or more") }
            if detailSide < 0 { throw ValidationError("--detail-side must be 0 (none) or a positive number of pixels") }
            if workingSide < 0 { throw ValidationError("--working-side must be 0 (full resolution) or a positive number of pixels") }
            if !(cleanThreshold >= 0 && cleanThreshold < 1) { throw ValidationError("--clean-threshold must be at least 0 and below 1") }
        }

        var hiddenSizes: [Int]? {
            let parts = hidden.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            return parts.contains(nil) ? nil : parts.compactMap { $0 }
        }

        func run() throws {
            let started = Terminal.now()
            guard FileManager.default.fileExists(atPath: corpus.db) else { throw ValidationError("no corpus at \(corpus.db)") }
            let store = try Corpus(path: corpus.db)
            let classes = try store.trainingClasses()
            guard classes.count >= 2 else { throw ValidationError("the dictionary marks \(classes.count) class for training; at least 2 are needed") }
            let locator = try imageOptions.locator()
            var sampling = TrainingSampling()
            sampling.pointsPerMention = pointsPerMention
            sampling.pointsPerClass = pointsPerClass
            sampling.seed = seed
            let bar = ProgressBar(enabled: !quiet)
            var features = FeatureConfiguration.standard
            features.workingSide = workingSide > 0 ? workingSide : nil
            features.detailSide = detailSide > 0 && workingSide > 0 ? detailSide : nil
            let side = features.decodeSide
            let (points, data) = try store.labelledPoints(
                classes: classes, features: features, sampling: sampling, loadImage: { try locator.load($0, workingSide: side) }
            ) { done, total in bar.updateCount(done: done, total: total, label: "images") }
            bar.finish()
            let extracted = Terminal.now() - started
            for s in data.skipped.prefix(quiet ? 0 : 10) { Terminal.error("skipped image \(s.imageID): \(s.reason)") }
            if data.skipped.count > 10, !quiet { Terminal.error("… \(data.skipped.count - 10) more images skipped") }
            print(
                "data       \(data.points) trace points of \(data.mentions) mentions on \(data.images) images, \(classes.count) classes (\(data.skipped.count) images skipped); read in \(Format.seconds(extracted)), \(Int((Double(data.images) / max(extracted, 1e-9)).rounded())) images/s"
            )
            guard points.count > 0 else { throw ValidationError("no trace points with images to train on") }

            var options = TrainingOptions()
            options.hidden = hiddenSizes ?? [128]
            options.embedding = dimension
            options.epochs = epochs
            options.batch = batch
            options.learningRate = learningRate
            options.patience = patience
            options.validationFraction = validation
            options.seed = seed
            options.cleaningRounds = cleanRounds
            options.cleaningThreshold = cleanThreshold
            let trainBar = ProgressBar(enabled: !quiet)
            var last = ""
            var model = Trainer.train(
                points: points, classes: classes, features: features, options: options,
                progress: { e in
                    last =
                        (e.round > 0 ? "cleaning round \(e.round), " : "")
                        + String(format: "loss %.3f acc %.1f%%", e.trainingLoss, 100 * e.trainingAccuracy)
                    if !quiet {
                        trainBar.finish()
                        if e.epoch == 1, e.round > 0 { print("cleaning round \(e.round): trained again without the points set aside") }
                        print(
                            String(
                                format: "epoch %3d  train loss %.4f  acc %5.1f%%   validation loss %.4f  acc %5.1f%%%@",
                                e.epoch, e.trainingLoss, 100 * e.trainingAccuracy, e.validationLoss, 100 * e.validationAccuracy,
                                e.best ? "  *" : ""))
                    }
                },
                batchProgress: { done, total in trainBar.updateCount(done: done, total: total, label: "batches, " + last) })
            trainBar.finish()
            model.training.pointsPerMention = pointsPerMention
            model.training.pointsPerClass = pointsPerClass
            let path = self.model ?? Format.besideDatabase(corpus.db, suffix: ".embedding")
            let bytes = try ModelFile.encode(model)
            try FileSystem.writeAtomically(to: path) { try $0.write(bytes) }
            let t = model.training
            if let c = t.cleaning {
                let total = t.trainingPoints + t.validationPoints + (c.setAside.last ?? 0)
                print("cleaning   \(c.summary) of \(total)")
            }
            print(
                "split      \(t.trainingPoints) training points on \(t.trainingImages) images, \(t.validationPoints) validation points on \(t.validationImages) images"
            )
            print(
                String(
                    format: "best       epoch %d of %d: validation loss %.4f, accuracy %.1f%%%@", t.bestEpoch, t.epochs, t.validationLoss,
                    100 * t.validationAccuracy, t.cleaning == nil ? "" : " (on the points kept)"))
            print(
                "model      \(path): \(model.network.layers.map { "\($0.inputs)" }.joined(separator: " → ")) → \(model.network.classCount), embedding \(model.network.embeddingDimension), \(model.network.parameterCount) parameters"
            )
            print("time       \(Format.seconds(Terminal.now() - started))")
        }
    }

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
            let path = model ?? Format.besideDatabase(corpus.db, suffix: ".embedding")
            let trained = try ModelFile.read(path)
            guard FileManager.default.fileExists(atPath: corpus.db) else { throw ValidationError("no corpus at \(corpus.db)") }
            let store = try Corpus(path: corpus.db)
            let locator = try imageOptions.locator()
            var sampling = TrainingSampling()
            sampling.seed = trained.training.seed
            if trained.training.pointsPerMention > 0 { sampling.pointsPerMention = trained.training.pointsPerMention }
            if trained.training.pointsPerClass > 0 { sampling.pointsPerClass = trained.training.pointsPerClass }
            let bar = ProgressBar(enabled: !quiet)
            let (points, data) = try store.labelledPoints(
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

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Print what a model file holds.")

        @Argument(help: ArgumentHelp("The model file.", valueName: "path"))
        var model: String

        func run() throws {
            let m = try ModelFile.read(model)
            let t = m.training
            print("file         \(model) (format version \(ModelFile.version))")
            print("features     \(m.features.dimension): \(m.features.names.joined(separator: " "))")
            print(
                "working side \(m.features.workingSide.map { "\($0) px (images decoded reduced to a longer side of \($0) to about \(2 * $0) px)" } ?? "none (full resolution; a model file from before working resolutions)")"
            )
            print(
                "detail side  \(m.features.detailSide.map { "\($0) px (images decoded to a longer side of \($0) to about \(2 * $0) px for the pixel's colour and the first scale)" } ?? "none (every scale at the working side)")"
            )
            print(
                "network      \(m.network.layers.map { "\($0.inputs)" }.joined(separator: " → ")) → \(m.network.classCount) (ReLU hidden layers), embedding \(m.network.embeddingDimension), \(m.network.parameterCount) parameters"
            )
            print(
                "training     seed \(t.seed), \(t.epochs) epochs, best \(t.bestEpoch); \(t.trainingPoints) points on \(t.trainingImages) images; validation \(t.validationPoints) points on \(t.validationImages) images"
            )
            if let c = t.cleaning {
                print("cleaning     \(c.summary); the figures above and below are of the points kept")
            }
            print(String(format: "validation   loss %.4f, accuracy %.1f%%", t.validationLoss, 100 * t.validationAccuracy))
            print(
                "classes      \(m.classes.count): " + m.classes.prefix(30).map { "\($0.id) \($0.name)" }.joined(separator: ", ")
                    + (m.classes.count > 30 ? ", …" : ""))
        }
    }
}
