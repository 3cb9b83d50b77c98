import Foundation
import Pipeline

/// The summary `pointillist ingest` prints: the corpus, a row per file, and counts that reconcile.
struct IngestSummary {
    var report: IngestJob.Report
    var path: String
    /// How many rejected lines were printed as they came.
    var shownErrors: Int

    var text: String {
        var lines: [String] = []
        let c = report.ingest.counts
        let run = report.ingest.thisRun
        let size = report.corpus
        lines.append("Corpus \(path): \(Format.count(size.narratives)) narratives of \(Format.count(size.images)) images")
        lines.append("")
        lines.append("file\toutcome\tread\tstored\tduplicates\trejected")
        for s in report.ingest.sources {
            let outcome = s.damage.map { "damaged at compressed byte \($0.compressedOffset)" } ?? s.outcome.rawValue
            lines.append("\(s.path)\t\(outcome)\t\(s.counts.read)\t\(s.counts.stored)\t\(s.counts.duplicates)\t\(s.counts.rejected)")
        }
        lines.append("")
        let check = c.reconciles ? "reconciles" : "DOES NOT RECONCILE"
        lines.append(
            "lines read    \(Format.count(c.read)) = stored \(Format.count(c.stored)) + duplicates \(Format.count(c.duplicates)) + rejected \(Format.count(c.rejected))  (\(check))"
        )
        if c.blank > 0 { lines.append("blank lines   \(Format.count(c.blank)) skipped") }
        if c.byteOrderMarks > 0 {
            lines.append(
                "byte-order marks  \(Format.count(c.byteOrderMarks)) file\(c.byteOrderMarks == 1 ? "" : "s") began with a UTF-8 byte-order mark (skipped)"
            )
        }
        if c.videoLines > 0 {
            lines.append(
                "narratives    \(Format.count(c.narratives)) stored; \(Format.count(c.videoLines)) of the lines were Video Localized Narratives (one narrative per actor and keyframe)"
            )
        }
        if run != c {
            lines.append(
                "this run      read \(Format.count(run.read)): stored \(Format.count(run.stored)), duplicates \(Format.count(run.duplicates)), rejected \(Format.count(run.rejected))"
            )
        }
        lines.append(
            "words         \(Format.count(c.words)), aligned \(Format.percent(c.alignedWords, c.words)); of those, with a trace segment \(Format.percent(c.tracedWords, c.alignedWords)), interpolated \(Format.percent(c.interpolatedWords, c.alignedWords))"
        )
        lines.append(
            "utterances    \(Format.count(c.utterances)), untimed (start = end = 0) \(Format.percent(c.untimedUtterances, c.utterances))")
        lines.append(
            "trace points  \(Format.count(c.points)), outside the image \(Format.percent(c.offImagePoints, c.points)); narratives without traces: \(Format.count(c.untracedNarratives))"
        )
        if let rejectsPath = report.rejectsPath {
            lines.append("rejected      \(Format.count(c.rejected)) lines → \(rejectsPath) (reasons: \(rejectsPath).tsv)")
            if c.rejected > shownErrors, shownErrors > 0 { lines.append("              (the first \(shownErrors) were printed above)") }
        }
        lines.append(String(format: "time          %.2f s, %.1f MB/s", report.seconds, Double(report.bytes) / max(report.seconds, 1e-9) / 1e6))
        return lines.joined(separator: "\n")
    }
}
