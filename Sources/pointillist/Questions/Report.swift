import ArgumentParser
import Foundation
import Pipeline
import Questions

extension Pointillist.Questions {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "Measure the question stage on generated scenes against ground-truth masks, with two baselines.",
            discussion: """
                For every sampled point the true class is read from the mask. Reported for M and, in the \
                same run, for a random order of the image's candidate classes and for the class of the nearest \
                trace point in image coordinates: the share of points whose first question is a Yes and the mean \
                number of questions until a Yes (a perfect annotator). A point whose true class is not a \
                candidate of its image can never get a Yes: "reachable" is the share of points whose class is \
                one, and "Yes among reachable" M's first-question Yes over them. The table also ranks the same \
                points from fewer candidate sources (mentions only, and each source alone; model candidates are \
                on unless --model-candidates 0), and M's first questions are counted by the source of their class. \
                Targets: first Yes ≥ 85%, mean ≤ 1.3.
                """)

        @OptionGroup var corpus: CorpusOption
        @OptionGroup var imageOptions: ImageOptions
        @OptionGroup var m: PointModelArguments

        @OptionGroup var maskOptions: MaskOptions

        @Flag(help: "No progress bar.")
        var quiet = false

        func run() throws {
            let options = ReportJob.Options(sample: try m.options(db: corpus.db, images: imageOptions), masks: maskOptions.groundTruth)
            let bar = ProgressBar(enabled: !quiet)
            let report = try ReportJob(options: options).run { done, total in bar.updateCount(done: done, total: total, label: "images") }
            bar.finish()
            reportSkipped(report.skipped, limit: 5)
            let (r, alone, skipped, unmapped) = (report.quality, report.neighboursOnly, report.skipped, report.unmapped)
            print(
                "images       \(r.images) (\(skipped.count) skipped), \(r.points) sampled points (\(m.points) per image\(m.balanced ? ", class-balanced" : "")), \(r.unlabelled) over void or classes not in the dictionary"
            )
            if !unmapped.isEmpty { print("             mask classes not in the dictionary: \(unmapped.joined(separator: ", "))") }
            if r.withoutMask > 0 {
                print("             \(r.withoutMask) ranked images left out: their mask could not be read")
                for e in r.maskErrors { Terminal.error("no mask: \(e)") }
            }
            if let plain = report.alternatives.first?.quality {
                print(
                    String(
                        format: "             the true class is among the image's candidate classes at %.1f%% of the points (mentions alone: %.1f%%)",
                        100 * r.mentionedShare, 100 * plain.mentionedShare))
            } else {
                print(
                    String(
                        format: "             the true class is among the image's mentioned classes at %.1f%% of the points", 100 * r.mentionedShare))
            }
            if let labels = report.labels, let e = report.labelEffect {
                reportImageLabels(labels)
                print(
                    "             on the ranked images: \(e.present) present (\(e.added) not mentioned), \(e.absent) absent (\(e.conflicts) of them mentioned); \(e.unmappedRows) rows of MIDs no class carries, \(e.unknownImageRows) rows of other images"
                )
            }
            print("M (k = \(m.k), prior \(m.prior)), by candidate sources")
            print(
                "candidates                                      first Yes  questions to Yes  reachable  Yes among reachable | first Yes: random image class, nearest trace point"
            )
            var rows = report.alternatives.map { ("M, \($0.name)", $0.quality) }
            rows.append(("M, \(report.sources)", r))
            if let alone { rows.append(("M, \(report.sources), prior 0", alone)) }
            for (name, q) in rows {
                print(
                    String(
                        format: "%@ %8.1f%% %17.2f %9.1f%% %19.1f%% | %13.1f%% %19.1f%%", Format.padded(name, 46),
                        100 * q.model.firstYes, q.model.meanQuestionsToYes, 100 * q.mentionedShare, 100 * q.firstYesAmongReachable,
                        100 * q.random.firstYes, 100 * q.nearestTrace.firstYes))
            }
            let bySource = CandidateSource.allCases.compactMap { source in
                r.firstQuestions[source].map {
                    String(format: "%@ %d (%.1f%% Yes)", source.rawValue, $0.asked, 100 * Double($0.yes) / Double(max($0.asked, 1)))
                }
            }
            print("             M's first questions by the source of their class (\(report.sources)): \(bySource.joined(separator: ", "))")
            if !r.unmentioned.isEmpty {
                let name = report.classNames
                let top = r.unmentioned.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(6)
                    .map { String(format: "%@ %.1f%%", name[$0.key] ?? "class \($0.key)", 100 * Double($0.value) / Double(r.scored)) }
                print("             never Yes, by the class no candidate names: \(top.joined(separator: ", "))")
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
