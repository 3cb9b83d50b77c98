import ArgumentParser
import Embedding
import Foundation
import Imaging
import Narratives
import Pipeline
import Questions
import Store
import Vocabulary

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
            let bar = ProgressBar(enabled: !quiet)
            let report = try SampleJob(options: try m.options(db: corpus.db, images: imageOptions)).run { done, total in
                bar.updateCount(done: done, total: total, label: "images")
            }
            bar.finish()
            reportSkipped(report.skipped, limit: quiet ? 0 : 10)
            let (r, skipped) = (report.stored, report.skipped)
            print("images     \(r.images) sampled, \(r.alreadySampled) already sampled, \(skipped.count) skipped (image not readable)")
            print(
                "points     \(r.points) (\(m.points) per image\(m.balanced ? ", class-balanced" : "")), \(r.pointsWithoutCandidates) without a candidate class"
            )
            print("questions  \(r.questions) first-round questions stored\(bySource(r.firstQuestions))")
            print("candidates \(r.candidates.values.reduce(0, +)) (image, class) pairs\(bySource(r.candidates))")
            if let labels = report.labels { reportImageLabels(labels) }
        }

        /// " (by source: 3012 mention, 120 label)" for the sources with a count.
        func bySource(_ counts: [CandidateSource: Int]) -> String {
            let parts = CandidateSource.allCases.compactMap { s in counts[s].map { "\($0) \(s.rawValue)" } }
            return parts.isEmpty ? "" : " (by source: " + parts.joined(separator: ", ") + ")"
        }
    }
}
