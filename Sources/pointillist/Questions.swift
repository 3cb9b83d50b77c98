import ArgumentParser
import Embedding
import Foundation
import Imaging
import Narratives
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

    func modelPath(_ db: String) -> String { model ?? Format.besideDatabase(db, suffix: ".embedding") }

    /// Opens the corpus and ranks the classes at the sampled points of every image, with a
    /// progress bar; unreadable images are reported (at most `report`) and skipped.
    func rankImages(db: String, images imageOptions: ImageOptions, quiet: Bool, report: Int) throws
        -> (store: Corpus, builder: PointModelBuilder, locator: ImageLocator, images: [ImagePoints], skipped: [SkippedImage])
    {
        guard FileManager.default.fileExists(atPath: db) else { throw ValidationError("no corpus at \(db)") }
        let store = try Corpus(path: db)
        let builder = try builder(db)
        let locator = try imageOptions.locator()
        let bar = ProgressBar(enabled: !quiet)
        let side = builder.model.features.decodeSide
        let (images, skipped) = try builder.run(corpus: store, loadImage: { try locator.load($0, workingSide: side) }) { done, total in
            bar.updateCount(done: done, total: total, label: "images")
        }
        bar.finish()
        for s in skipped.prefix(report) { Terminal.error("skipped image \(s.imageID): \(s.reason)") }
        return (store, builder, locator, images, skipped)
    }

    func builder(_ db: String) throws -> PointModelBuilder {
        var options = PointModelOptions()
        options.sampling.pointsPerImage = points
        options.sampling.seed = seed
        options.k = k
        options.rule = rule
        options.classBalanced = balanced
        options.prior = prior
        options.exemplarThreshold = exemplarThreshold
        return PointModelBuilder(model: try ModelFile.read(modelPath(db)), options: options)
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

extension Pointillist.Questions {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "Measure the question stage on generated scenes against ground-truth masks, with two baselines.",
            discussion: """
                For every sampled point the true class is read from the mask. Reported for M and, in the \
                same run, for a random order of the image's classes and for the class of the nearest trace \
                point in image coordinates: the share of points whose first question is a Yes and the mean \
                number of questions until a Yes (a perfect annotator). Targets: first Yes ≥ 85%, mean ≤ 1.3. \
                Only the classes mentioned for an image are asked, so a point on a class its narratives \
                leave unnamed can never get a Yes: the report gives that ceiling and the classes behind it.
                """)

        @OptionGroup var corpus: CorpusOption
        @OptionGroup var imageOptions: ImageOptions
        @OptionGroup var m: PointModelArguments

        @Option(help: ArgumentHelp("Ground-truth class masks (grey PNG per image, `pointillist scenes` layout).", valueName: "dir"))
        var masks: String

        @Option(
            name: .customLong("mask-classes"), help: ArgumentHelp("TSV naming the mask values (default <masks>/../classes.tsv).", valueName: "path"))
        var maskClasses: String?

        @Flag(help: "No progress bar.")
        var quiet = false

        func run() throws {
            let (store, builder, locator, images, skipped) = try m.rankImages(db: corpus.db, images: imageOptions, quiet: quiet, report: 5)
            let names = try MaskClasses.read(maskClasses ?? MaskClasses.defaultPath(masks: masks))
            let dictionary = try store.storedDictionary().classes
            let (classOf, unmapped) = MaskClasses.mapping(names, to: dictionary)
            let maskLocator = try ImageLocator(root: masks, pattern: "{id}.png")
            let r = QuestionQuality.report(images, seed: m.seed, mask: { try maskLocator.load($0, layout: .asStored) }, classOf: classOf)
            // The same points ranked by the embedding neighbours alone, for comparison.
            var alone: QualityReport?
            if m.prior > 0 {
                var neighboursOnly = builder
                neighboursOnly.options.prior = 0
                let side = builder.model.features.decodeSide
                let (plain, _) = try neighboursOnly.run(corpus: store, loadImage: { try locator.load($0, workingSide: side) })
                alone = QuestionQuality.report(plain, seed: m.seed, mask: { try maskLocator.load($0, layout: .asStored) }, classOf: classOf)
            }
            print(
                "images       \(r.images) (\(skipped.count) skipped), \(r.points) sampled points (\(m.points) per image\(m.balanced ? ", class-balanced" : "")), \(r.unlabelled) over void or classes not in the dictionary"
            )
            if !unmapped.isEmpty { print("             mask classes not in the dictionary: \(unmapped.joined(separator: ", "))") }
            print(
                String(format: "             the true class is among the image's mentioned classes at %.1f%% of the points", 100 * r.mentionedShare))
            print("ranking                      first question Yes   questions to Yes   never Yes")
            var rows = [("M (k = \(m.k), prior \(m.prior))", r.model)]
            if let alone { rows.append(("M, neighbours only (prior 0)", alone.model)) }
            rows += [("random image class", r.random), ("nearest trace point", r.nearestTrace)]
            for (name, f) in rows {
                print(
                    String(
                        format: "%@ %17.1f%% %18.2f %10.1f%%", name.padding(toLength: 28, withPad: " ", startingAt: 0), 100 * f.firstYes,
                        f.meanQuestionsToYes, 100 * f.neverYes))
            }
            if r.mentionedShare > 0 {
                print(
                    String(
                        format:
                            "             M's first question is a Yes at %.1f%% of the points whose class was mentioned (the others can never get a Yes)",
                        100 * r.model.firstYes / r.mentionedShare))
            }
            if !r.unmentioned.isEmpty {
                let name = Dictionary(dictionary.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
                let top = r.unmentioned.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(6)
                    .map { String(format: "%@ %.1f%%", name[$0.key] ?? "class \($0.key)", 100 * Double($0.value) / Double(r.scored)) }
                print("             never Yes, by the class the narratives left unnamed: \(top.joined(separator: ", "))")
            }
            func verdict(_ ok: Bool) -> String { ok ? "PASS" : "FAIL" }
            let better = r.model.firstYes > r.random.firstYes && r.model.firstYes > r.nearestTrace.firstYes
            print(
                String(
                    format:
                        "targets      first Yes ≥ 85%%: %@ (%.1f%%, at most %.1f%% reachable); questions to Yes ≤ 1.3: %@ (%.2f); better than both baselines: %@",
                    verdict(r.model.firstYes >= 0.85), 100 * r.model.firstYes, 100 * r.mentionedShare,
                    verdict(r.model.meanQuestionsToYes <= 1.3), r.model.meanQuestionsToYes, verdict(better)))
        }
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

extension Pointillist.Questions {
    struct Sample: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sample",
            abstract: "Build M for every image, sample its points and store the first-round questions.",
            discussion: """
                Images already sampled are skipped, so an interrupted run resumes. Each point keeps its \
                ranked classes; its first question asks the top one.
                """)

        @OptionGroup var corpus: CorpusOption
        @OptionGroup var imageOptions: ImageOptions
        @OptionGroup var m: PointModelArguments

        @Flag(help: "No progress bar.")
        var quiet = false

        func run() throws {
            let (store, _, _, images, skipped) = try m.rankImages(db: corpus.db, images: imageOptions, quiet: quiet, report: quiet ? 0 : 10)
            let r = try store.storeFirstRound(images)
            print("images     \(r.images) sampled, \(r.alreadySampled) already sampled, \(skipped.count) skipped (image not readable)")
            print(
                "points     \(r.points) (\(m.points) per image\(m.balanced ? ", class-balanced" : "")), \(r.pointsWithoutCandidates) without a candidate class"
            )
            print("questions  \(r.questions) first-round questions stored")
        }
    }

    struct Batch: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "batch",
            abstract: "Write the questions not yet in a batch as numbered batch files (CSV and JSONL).",
            discussion: """
                Each question is replicated --replication times; questions of one class come in \
                contiguous blocks. A question goes into one batch only; batch numbers continue across runs.
                """)

        @OptionGroup var corpus: CorpusOption

        @Option(help: ArgumentHelp("Directory for batch-NNNNNN.csv / .jsonl.", valueName: "dir"))
        var out: String = "batches"

        @Option(help: "Answers wanted per question.")
        var replication = 3

        @Option(help: "Assignments (question × replica) per batch at most.")
        var size = 1000

        @Option(name: .customLong("image-url"), help: ArgumentHelp("How images are named in the files: {id} is the image id.", valueName: "pattern"))
        var imageURL = "{id}.jpg"

        @Option(
            name: .customLong("image-size"),
            help: ArgumentHelp("Width x height of the images, for pixel coordinates (generated scenes: 320x240).", valueName: "WxH"))
        var imageSize = "320x240"

        func run() throws {
            let parts = imageSize.split(separator: "x").compactMap { Int($0) }
            guard parts.count == 2, parts.allSatisfy({ $0 > 0 }) else { throw ValidationError("--image-size must look like 640x480") }
            guard replication >= 1, size >= 1 else { throw ValidationError("--replication and --size must be at least 1") }
            let store = try Corpus(path: corpus.db)
            let classes = Dictionary(uniqueKeysWithValues: try store.storedDictionary().classes.map { ($0.id, $0) })
            let pending = try store.questions(batch: .unbatched)
            guard !pending.isEmpty else {
                print("no questions waiting for a batch")
                return
            }
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            var written = 0
            for batch in Batcher.batches(pending, options: BatchOptions(replication: replication, size: size)) {
                let number = try store.nextBatchNumber()
                let describe = { (q: Question) -> QuestionText in
                    let c = classes[q.classID]
                    return QuestionText(
                        imageURL: imageURL.replacingOccurrences(of: "{id}", with: q.imageID), className: c?.name ?? "class \(q.classID)",
                        gloss: c?.gloss ?? "", widthPixels: parts[0], heightPixels: parts[1])
                }
                let base = out + "/batch-" + String(format: "%06d", number)
                try FileSystem.writeAtomically(to: base + ".csv") { try $0.write(BatchFile.csv(batch, describe: describe)) }
                try FileSystem.writeAtomically(to: base + ".jsonl") { try $0.write(BatchFile.jsonl(batch, describe: describe)) }
                let ids = Array(Set(batch.map(\.question.id))).sorted()
                let round = batch.map(\.question.round).max() ?? 1
                let recorded = try store.recordBatch(
                    round: round, questions: ids, assignments: batch.count, csv: base + ".csv", jsonl: base + ".jsonl")
                print("batch \(recorded): \(ids.count) questions, \(batch.count) assignments → \(base).csv, .jsonl")
                written += 1
            }
            print("\(written) batch\(written == 1 ? "" : "es") written")
        }
    }

    struct Simulate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "simulate",
            abstract: "Answer the batched questions from ground-truth masks, as simulated annotators (generated scenes).",
            discussion: "Writes an answers CSV (question_id, annotator_id, answer) to import with `questions answers`.")

        @OptionGroup var corpus: CorpusOption

        @Option(help: ArgumentHelp("Ground-truth class masks (`pointillist scenes` layout).", valueName: "dir"))
        var masks: String

        @Option(
            name: .customLong("mask-classes"), help: ArgumentHelp("TSV naming the mask values (default <masks>/../classes.tsv).", valueName: "path"))
        var maskClasses: String?

        @Option(help: "Annotators answering each question.")
        var annotators = 3

        @Option(name: .customLong("error-rate"), help: "Probability that an annotator answers wrongly.")
        var errorRate = SimulatedAnnotators().errorRate

        @Option(name: .customLong("unsure-rate"), help: "Probability that an annotator answers unsure.")
        var unsureRate = SimulatedAnnotators().unsureRate

        @Option(help: "Seed of the simulated answers.")
        var seed = SimulatedAnnotators().seed

        @Option(help: ArgumentHelp("Answers file to write.", valueName: "path"))
        var out: String = "answers.csv"

        func run() throws {
            guard (0...1).contains(errorRate), (0...1).contains(unsureRate) else { throw ValidationError("rates must be between 0 and 1") }
            let store = try Corpus(path: corpus.db)
            let names = try MaskClasses.read(maskClasses ?? MaskClasses.defaultPath(masks: masks))
            let classOf = MaskClasses.mapping(names, to: try store.storedDictionary().classes).classOf
            let answered = Set(try store.answers().map(\.questionID))
            let locator = try ImageLocator(root: masks, pattern: "{id}.png")
            let simulated = SimulatedAnnotators(errorRate: errorRate, unsureRate: unsureRate, seed: seed)
            let unanswered = try store.questions(batch: .batched).filter { !answered.contains($0.id) }
            let (text, count) = try simulated.answersCSV(to: unanswered, annotators: annotators, classOf: classOf) {
                try locator.load($0, layout: .asStored)
            }
            try FileSystem.writeAtomically(to: out) { try $0.write(text) }
            print("wrote \(out): \(count) answers by \(annotators) simulated annotators (error rate \(errorRate), unsure \(unsureRate))")
        }
    }

    struct Answers: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "answers",
            abstract: "Import annotators' answers (CSV or JSONL: question_id, annotator_id, answer yes/no/unsure, optional duration_seconds).",
            discussion: """
                Unknown question ids, duplicates, conflicting re-submissions and malformed rows are \
                reported with their line and kept aside in the corpus (answer_rejects); read = accepted + \
                rejected. Importing the same file (the same path) again, after an interrupted run or a \
                finished one, stores nothing more: the lines its earlier import stored are counted as \
                already imported, not rejected again.
                """)

        @OptionGroup var corpus: CorpusOption

        @Argument(help: "Answer files.")
        var files: [String]

        @Flag(help: "Print only the summary.")
        var quiet = false

        func run() throws {
            let store = try Corpus(path: corpus.db)
            for file in files {
                guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw ValidationError("cannot read \(file)") }
                let r = try store.importAnswers(file: file, text: text)
                if !quiet { for reject in r.rejected.prefix(20) { Terminal.error(reject.description) } }
                print(
                    "\(file): read \(r.read) = accepted \(r.accepted) + rejected \(r.rejected.count)"
                        + (r.alreadyImported > 0 ? " + already imported \(r.alreadyImported)" : ""))
            }
        }
    }

    struct Next: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "next",
            abstract: "Aggregate the answers and add the next round: points answered No get their next-ranked class.",
            discussion: """
                Aggregation: unanimous (default; all non-unsure answers agree, at least --min-answers) or \
                majority. Yes and Unresolved points stop; so do points past --max-rounds or out of classes.
                """)

        @OptionGroup var corpus: CorpusOption

        @Option(name: .customLong("max-rounds"), help: "Rounds at most.")
        var maxRounds = 3

        @Option(name: .customLong("min-answers"), help: "Decisive answers needed for Yes or No.")
        var minimumAnswers = 2

        @Flag(help: "Decide by majority instead of unanimity.")
        var majority = false

        func run() throws {
            let store = try Corpus(path: corpus.db)
            let rule = AggregationRule(minimumAnswers: minimumAnswers, kind: majority ? .majority : .unanimous)
            let (labels, added) = try store.nextRound(rule: rule, maxRounds: maxRounds)
            let counts = Dictionary(grouping: labels.values, by: { $0 }).mapValues(\.count)
            print("labels     Yes \(counts[.yes] ?? 0), No \(counts[.no] ?? 0), Unresolved \(counts[.unresolved] ?? 0) (questions with answers)")
            print("next round \(added.count) new questions")
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Export point labels in the Open Images V7 point-label CSV layout.",
            discussion:
                "Columns ImageId,X,Y,Label,EstimatedYesNo,Source,YesVotes,NoVotes,UnsureVotes,TextLabel; Label is the Open Images MID when the class has one, else the class id."
        )

        @OptionGroup var corpus: CorpusOption

        @Option(help: ArgumentHelp("CSV to write.", valueName: "path"))
        var out: String = "point-labels.csv"

        @Option(name: .customLong("min-answers"), help: "Decisive answers needed for Yes or No.")
        var minimumAnswers = 2

        @Option(
            help: ArgumentHelp(
                "Also write the labels' names here (Label,name; no header), the layout of Open Images' class descriptions: with the images in data/, the point labels as labels/points.csv and this file as metadata/classes.csv, FiftyOne's Open Images V7 importer reads the labels.",
                valueName: "path"))
        var classes: String?

        func run() throws {
            let store = try Corpus(path: corpus.db)
            let classes = Dictionary(uniqueKeysWithValues: try store.storedDictionary().classes.map { ($0.id, $0) })
            let aggregated = Aggregation.aggregate(try store.answers(), rule: AggregationRule(minimumAnswers: minimumAnswers))
            var rows: [ExportRow] = []
            for q in try store.questions() {
                guard let a = aggregated[q.id] else { continue }
                let c = classes[q.classID]
                rows.append(ExportRow(question: q, label: a.label, votes: a.votes, mid: c?.openImagesMID, className: c?.name ?? "class \(q.classID)"))
            }
            try FileSystem.writeAtomically(to: out) { try $0.write(PointLabelExport.csv(rows)) }
            let yes = rows.filter { $0.estimatedYesNo == "yes" }.count
            print("wrote \(out): \(rows.count) point labels (\(yes) yes)")
            if let path = self.classes {
                try FileSystem.writeAtomically(to: path) { try $0.write(PointLabelExport.classDescriptions(rows)) }
                print("wrote \(path): \(Set(rows.map(\.label)).count) label names")
            }
        }
    }
}
