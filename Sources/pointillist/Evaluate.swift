import ArgumentParser
import Foundation
import Pipeline
import Scoring

extension Pointillist {
    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "evaluate",
            abstract: "Score segmentation methods with point labels (point IoU) and with dense masks (dense IoU), and compare the rankings.",
            discussion: """
                Point labels are Open Images V7 point-label CSV files (`pointillist questions export`, or the published \
                files; plain or gzip). A method is a folder of masks in one of two layouts: class-index PNGs \
                ({image id}.png, 8- or 16-bit grey, values named by a classes.tsv in the folder or beside it, as \
                `pointillist scenes` writes them), or Open Images' per-class binary masks \
                ({image id}_{MID without slashes}_….png). Mask classes match point-label classes by Label (MID) \
                or by display name, ignoring case.

                Point IoU per class is TP / (TP + FP + FN): a point labelled Yes for a class is a TP where the \
                method predicts the class there, else a FN; a predicted class is a FP where it is labelled No, or \
                where another class is labelled Yes (classes are exclusive; the hierarchy is not expanded). A \
                point with several labels scores each of them; unsure labels are left out, as is a class labelled \
                both Yes and No at one point (counted). Dense IoU counts every non-void ground-truth pixel the same \
                way. Means are over the classes with any count. An image a method has no mask for counts as \
                predicting nothing. Kendall's tau compares the methods' rankings by point and by dense mean IoU.

                With --draws D, each draw samples --points-per-image pixels per image uniformly from the \
                ground truth (seeded) and scores every method on them, as the method's simulation of point \
                labels. Classes with fewer than --min-points points behind their point IoU are flagged: a \
                stable multi-class mean wants on the order of 10,000 points per class.

                Writes <out>/methods.csv (a row per method and source of points), <out>/classes.csv (per class) and, \
                with --masks, <out>/dense-vs-point.png. Exit status 3 when the point labels hold rows but \
                none with a Yes or No to score.
                """)

        @Option(name: .customLong("points"), help: ArgumentHelp("Point-label CSV file (repeatable).", valueName: "path"))
        var pointLabels: [String] = []

        @Option(name: .customLong("method"), help: ArgumentHelp("A method's name and mask folder (repeatable).", valueName: "name=dir"))
        var methods: [String] = []

        @Option(help: ArgumentHelp("Dense ground-truth masks, either layout (for dense IoU and --draws).", valueName: "dir"))
        var masks: String?

        @Option(help: ArgumentHelp("Draws of points sampled from the ground truth.", valueName: "n"))
        var draws = 0

        @Option(name: .customLong("points-per-image"), help: ArgumentHelp("Points per image in each draw.", valueName: "n"))
        var pointsPerImage = 50

        @Option(help: "Seed of the draws.")
        var seed: UInt64 = 1

        @Option(name: .customLong("min-points"), help: ArgumentHelp("Flag classes with fewer points behind their point IoU.", valueName: "n"))
        var minPoints = 100

        @Option(help: ArgumentHelp("Folder for methods.csv, classes.csv and dense-vs-point.png.", valueName: "dir"))
        var out = "evaluation"

        @Flag(help: "No progress bar.")
        var quiet = false

        func validate() throws {
            guard !methods.isEmpty else { throw ValidationError("give at least one --method NAME=DIR") }
            for m in methods where parsed(m) == nil { throw ValidationError("--method \(m): expected NAME=DIR") }
            guard Set(methods.compactMap { parsed($0)?.name }).count == methods.count else { throw ValidationError("--method names must differ") }
            guard !pointLabels.isEmpty || masks != nil else { throw ValidationError("give point labels (--points) or ground-truth masks (--masks)") }
            guard draws >= 0, draws <= 1000 else { throw ValidationError("--draws must be from 0 to 1000") }
            guard draws == 0 || masks != nil else { throw ValidationError("--draws samples points from ground truth: give --masks") }
            guard (1...100_000).contains(pointsPerImage) else { throw ValidationError("--points-per-image must be from 1 to 100000") }
            guard minPoints >= 0 else { throw ValidationError("--min-points must be 0 or more") }
        }

        func parsed(_ text: String) -> (name: String, folder: String)? {
            guard let eq = text.firstIndex(of: "="), eq != text.startIndex, text.index(after: eq) != text.endIndex else { return nil }
            return (String(text[..<eq]), String(text[text.index(after: eq)...]))
        }

        func run() throws {
            var options = EvaluateJob.Options()
            options.pointLabels = pointLabels
            options.methods = methods.compactMap(parsed)
            options.masks = masks
            options.draws = draws
            options.pointsPerImage = pointsPerImage
            options.seed = seed
            options.minPoints = minPoints
            options.out = out
            let bar = ProgressBar(enabled: !quiet)
            let report = try EvaluateJob(options: options).run { done, total in bar.updateCount(done: done, total: total, label: "images") }
            bar.finish()
            print(EvaluationText.lines(report, draws: draws, pointsPerImage: pointsPerImage).joined(separator: "\n"))
            if let labels = report.labels, labels.rows > 0, labels.yes + labels.no == 0 {
                Terminal.error("error: no row of the point labels has a Yes or No label to score; exit status 3")
                throw ExitCode(3)
            }
        }
    }
}

/// The terminal summary of an evaluation.
enum EvaluationText {
    /// A row per method: point mean IoU from the labels with its classes and points, dense
    /// mean IoU, and the drawn point mean IoU's mean and spread.
    static func table(_ report: EvaluateJob.Report, draws: Int) -> [String] {
        let r = report.result
        var header = ["method"]
        if report.labels != nil { header += ["point mIoU", "classes", "few", "points"] }
        if r.methods.first?.dense != nil { header.append("dense mIoU") }
        if draws > 0 { header.append("drawn point mIoU (\(draws) draws)") }
        var rows = [header]
        func iou(_ v: Double?) -> String { v.map { String(format: "%.3f", $0) } ?? "–" }
        for m in r.methods {
            var row = [m.name]
            let summary = report.summary.rows.filter { $0.method == m.name }
            if let labelled = summary.first(where: { $0.points == "labels" }) {
                row += [iou(labelled.pointMeanIoU), String(labelled.classes), String(labelled.fewPointClasses), Format.count(labelled.support)]
            }
            if let dense = m.dense { row.append(iou(dense.meanIoU)) }
            if let spread = EvaluationSummary.spread(summary.filter { $0.points != "labels" }.compactMap(\.pointMeanIoU)) {
                row.append(String(format: "%.3f ± %.3f", spread.mean, spread.sd))
            }
            rows.append(row)
        }
        let widths = header.indices.map { c in rows.map { $0.indices.contains(c) ? $0[c].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { c, cell in
                let padding = String(repeating: " ", count: widths[c] - cell.count)
                if c == row.count - 1 && draws > 0 { return cell }  // the spread, left-aligned, last
                return c == 0 ? cell + padding : padding + cell
            }.joined(separator: "  ")
        }
    }

    static func lines(_ report: EvaluateJob.Report, draws: Int, pointsPerImage: Int) -> [String] {
        var lines: [String] = []
        let r = report.result
        if let l = report.labels {
            lines.append(
                "point labels \(Format.count(l.rows)) rows: \(Format.count(l.yes)) yes, \(Format.count(l.no)) no, \(Format.count(l.unsure)) unsure (left out), \(Format.count(l.rejectedRows)) rejected; \(Format.count(r.labelledPoints)) points on \(Format.count(l.imageIDs.count)) images"
            )
            for error in l.rejected.prefix(5) { Terminal.error("rejected \(error)") }
            if l.rejectedRows > 5 { Terminal.error("… and \(l.rejectedRows - 5) more rejected rows") }
            if l.conflicting + l.repeated > 0 {
                lines.append(
                    "             \(l.conflicting) labels left out (a class both yes and no at one point), \(l.repeated) repeated labels counted once"
                )
            }
            lines.append(
                "             \(Format.count(r.uninformativePoints)) points said nothing about any method's prediction (labelled No only, predicted otherwise)"
            )
            if r.imagesWithoutTruth > 0 { lines.append("             \(r.imagesWithoutTruth) images of the point labels have no ground-truth mask") }
        }
        if draws > 0 {
            lines.append(
                "draws        \(draws) × \(pointsPerImage) points per image from the ground truth (\(Format.count(r.voidDrawnPoints)) of \(Format.count(r.drawnPoints)) on void pixels, left out)"
            )
        }
        for m in r.methods where m.missingMasks > 0 {
            Terminal.error("warning: \(m.name) has no mask for \(m.missingMasks) of the \(r.images) images; scored as predicting nothing there")
        }
        lines.append("")
        lines += table(report, draws: draws)
        if report.labels != nil {
            lines.append(
                "(few: classes with fewer than \(report.summary.minPoints) points behind their point IoU; points: TP + FP + FN over all classes)")
        }
        lines.append("")
        if let tau = report.summary.labelsTau {
            lines.append(String(format: "Kendall's tau, ranking by point IoU (point labels) against dense IoU: %.3f", tau))
        }
        if report.summary.drawTaus.count < draws, r.methods.count > 1 {
            lines.append("(\(draws - report.summary.drawTaus.count) of \(draws) draws rank nothing: every method scored alike or some not at all)")
        }
        if let spread = EvaluationSummary.spread(report.summary.drawTaus) {
            let taus = report.summary.drawTaus
            lines.append(
                String(
                    format: "Kendall's tau, ranking by point IoU (%d draws of %d points per image) against dense IoU: %.3f ± %.3f (%.3f to %.3f)",
                    taus.count, pointsPerImage, spread.mean, spread.sd, taus.min()!, taus.max()!))
        }
        if r.methods.count < 2 { lines.append("(one method: no ranking to compare)") }
        if !report.written.isEmpty { lines.append("wrote \(report.written.joined(separator: ", "))") }
        return lines
    }
}
