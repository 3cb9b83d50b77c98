import ArgumentParser
import Foundation
import Pipeline
import Scenes

extension Pointillist {
    struct Scenes: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "scenes",
            abstract: "Generate scenes with ground truth (the default subcommand), or damage their masks into stand-in predictions.",
            subcommands: [Generate.self, Damage.self],
            defaultSubcommand: Generate.self)
    }
}

extension Pointillist.Scenes {
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate",
            abstract: "Generate scenes with ground truth: images, class masks and Localized Narratives.",
            discussion: """
                Writes <out>/images/<id>.png (RGB), <out>/masks/<id>.png (grey, value = class index of \
                classes.tsv, 0 = void), <out>/classes.tsv and <out>/narratives.jsonl (the official LN \
                image schema, dataset_id "generated_scenes"). The same options and seed give \
                byte-identical files. Parameters and defaults: Sources/Scenes/SCENES.md.
                """)

        @Option(help: ArgumentHelp("Output directory (created if missing).", valueName: "dir"))
        var out: String

        @Option(help: ArgumentHelp("Number of images.", valueName: "n"))
        var count = 300

        @Option(help: ArgumentHelp("Random seed.", valueName: "n"))
        var seed = SceneConfiguration().seed

        @Option(help: ArgumentHelp("Number of classes: the first n of the catalogue (20 to \(Catalogue.classes.count)).", valueName: "n"))
        var classes = SceneConfiguration().classCount

        @Option(help: ArgumentHelp("Image width in pixels.", valueName: "px"))
        var width = SceneConfiguration().width

        @Option(help: ArgumentHelp("Image height in pixels.", valueName: "px"))
        var height = SceneConfiguration().height

        @Option(name: .customLong("min-objects"), help: ArgumentHelp("Fewest things per image.", valueName: "n"))
        var minObjects = SceneConfiguration().objectsPerImage.lowerBound

        @Option(name: .customLong("max-objects"), help: ArgumentHelp("Most things per image.", valueName: "n"))
        var maxObjects = SceneConfiguration().objectsPerImage.upperBound

        @Option(name: .customLong("extra-annotator"), help: ArgumentHelp("Probability that an image gets a second narrative.", valueName: "p"))
        var extraAnnotator = SceneConfiguration().extraAnnotatorProbability

        @Option(
            help: ArgumentHelp(
                "Probability that a visible thing is not named (×1.8 for things under 1% of the image, ×0.7 for larger ones); 0 names every thing big enough.",
                valueName: "p"))
        var unnamed = SceneConfiguration().unnamedProbability

        @Option(
            name: .customLong("lag-mean"),
            help: ArgumentHelp("Mean delay in seconds between a word and the mouse reaching what it names.", valueName: "s"))
        var lagMean = SceneConfiguration().lagMean

        @Option(name: .customLong("lag-std"), help: ArgumentHelp("Standard deviation of that delay in seconds.", valueName: "s"))
        var lagStd = SceneConfiguration().lagStd

        @Option(help: ArgumentHelp("Per-point hand jitter (std, normalised coordinates).", valueName: "std"))
        var jitter = SceneConfiguration().jitterStd

        @Option(help: ArgumentHelp("Slow drift of the hand off its target (std, normalised coordinates).", valueName: "std"))
        var drift = SceneConfiguration().driftStd

        @Option(help: ArgumentHelp("Probability that a scribble waypoint lands on a neighbouring region.", valueName: "p"))
        var spill = SceneConfiguration().spillProbability

        @Option(name: .customLong("out-of-band"), help: ArgumentHelp("Target fraction of trace points outside [0, 1].", valueName: "p"))
        var outOfBand = SceneConfiguration().outOfBandFraction

        @OptionGroup var openImages: OpenImagesOption

        @Flag(name: .customLong("no-image-labels"), help: "Do not write image-labels.csv.")
        var noImageLabels = false

        @Flag(help: "Print only the summary: no progress bar.")
        var quiet = false

        func run() throws {
            var c = SceneConfiguration()
            c.seed = seed
            c.classCount = classes
            c.width = width
            c.height = height
            guard minObjects <= maxObjects else { throw ValidationError("--min-objects must not exceed --max-objects") }
            guard count >= 1 else { throw ValidationError("--count must be at least 1") }
            c.objectsPerImage = minObjects...maxObjects
            c.extraAnnotatorProbability = extraAnnotator
            c.unnamedProbability = unnamed
            c.lagMean = lagMean
            c.lagStd = lagStd
            c.jitterStd = jitter
            c.driftStd = drift
            c.spillProbability = spill
            c.outOfBandFraction = outOfBand
            do { try c.validate() } catch { throw ValidationError(error.description) }
            let list = noImageLabels ? nil : openImages.path
            let job = ScenesJob(configuration: c, count: count, folder: out, openImages: list)
            let started = Terminal.now()
            let bar = ProgressBar(enabled: !quiet)
            let report = try job.run { done in bar.updateCount(done: done, total: count, label: "images") }
            bar.finish()
            let seconds = Terminal.now() - started
            print(Self.summary(report.summary, configuration: c, classes: report.classes, out: out, seconds: seconds))
            let stale = report.summary.staleFiles
            if !stale.isEmpty {
                Terminal.error(
                    "warning: \(stale.count) files in \(out)/images and masks are not this run's scenes (\(stale.prefix(3).joined(separator: ", "))\(stale.count > 3 ? ", …" : "")): an earlier run's; they were left, but image and mask folders read whole (evaluate) will see them. Use a fresh --out"
                )
            }
            if report.labelsWritten {
                let s = report.summary
                print(
                    "image labels  \(Format.count(s.presentLabels)) verified present, \(Format.count(s.absentLabels)) verified absent: image-labels.csv"
                        + (report.unlabelled.isEmpty ? "" : " (no Open Images MID: \(report.unlabelled.joined(separator: ", ")))"))
            }
        }

        static func summary(_ s: GenerationSummary, configuration c: SceneConfiguration, classes: [String], out: String, seconds: Double) -> String {
            var lines: [String] = []
            lines.append(
                "Wrote \(out)/: \(Format.count(s.images)) images (\(c.width)×\(c.height)) and masks, \(Format.count(s.narratives)) narratives, classes.tsv (\(classes.count) classes), seed \(c.seed)"
            )
            lines.append(
                "objects       \(Format.count(s.objects)) drawn, \(Format.percent(s.namedObjects, s.objects)) named; \(Format.count(s.mentions)) mentions"
            )
            lines.append("utterances    \(Format.count(s.utterances)), untimed \(Format.percent(s.untimedUtterances, s.utterances))")
            lines.append("trace points  \(Format.count(s.tracePoints)), outside the image \(Format.percent(s.outOfImagePoints, s.tracePoints))")
            let absent = s.imagesPerClass.enumerated().dropFirst().filter { $0.element == 0 }.map { classes[$0.offset - 1] }
            if !absent.isEmpty { lines.append("classes in no image: \(absent.joined(separator: ", "))") }
            lines.append(
                String(
                    format: "time          %.2f s (%.1f images/s), %@", seconds, Double(s.images) / max(seconds, 1e-9), Format.bytes(s.bytesWritten)))
            return lines.joined(separator: "\n")
        }
    }
}

extension Pointillist.Scenes {
    struct Damage: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "damage",
            abstract: "Damage ground-truth class masks into a stand-in for a segmentation method's predictions.",
            discussion: """
                Reads <masks>/{id}.png (class-index masks, values named by classes.tsv beside the folder) and \
                writes the damaged masks and the class table to <out>, a method `pointillist evaluate` reads. \
                Kinds, each over windows of (2r + 1) × (2r + 1) pixels: erode:r (pixels near another class \
                predict nothing), dilate:r (the largest class value in the window wins), noise:r (pixels near \
                another class take a random neighbour's class), blur:r (the most frequent class in the window), \
                swap:p (each class of an image becomes another with probability p).
                """)

        @Option(help: ArgumentHelp("Ground-truth class masks.", valueName: "dir"))
        var masks: String

        @Option(help: ArgumentHelp("Folder for the damaged masks (created if missing).", valueName: "dir"))
        var out: String

        @Option(help: ArgumentHelp("What damage: erode:r, dilate:r, noise:r, blur:r (r 1 to 64) or swap:p (p 0 to 1).", valueName: "kind:amount"))
        var damage: String

        @Option(help: "Seed of the random choices (noise, swap).")
        var seed: UInt64 = 1

        @Flag(help: "No progress bar.")
        var quiet = false

        func validate() throws {
            guard MaskDamage(damage) != nil else {
                throw ValidationError("--damage \(damage): expected erode:r, dilate:r, noise:r, blur:r (r 1 to 64) or swap:p (p 0 to 1)")
            }
        }

        func run() throws {
            let kind = MaskDamage(damage)!  // checked in validate()
            var options = DamageJob.Options(masks: masks, out: out, damage: kind)
            options.seed = seed
            let bar = ProgressBar(enabled: !quiet)
            let count = try DamageJob(options: options).run { done, total in bar.updateCount(done: done, total: total, label: "masks") }
            bar.finish()
            print("wrote \(out)/: \(Format.count(count)) masks damaged by \(kind), classes.tsv")
        }
    }
}
