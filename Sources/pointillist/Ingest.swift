import ArgumentParser
import Foundation
import Narratives
import Store

extension OutOfImagePolicy: ExpressibleByArgument {}

/// Options that set how word trace segments are derived.
struct SegmentOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Seconds added before and after a word's time span when collecting its trace points (default 0.2, or the corpus's recorded value).",
            valueName: "seconds"))
    var margin: Float?

    @Option(
        name: .customLong("min-points"),
        help: ArgumentHelp(
            "Fewer recorded points than this in a word's span: interpolate the trace at this many times instead (default 3).", valueName: "n"))
    var minimumPoints: Int?

    @Option(
        name: .customLong("out-of-image"),
        help: ArgumentHelp(
            "Trace points outside the image in word segments: keep, clamp (onto the edge) or drop. Stored traces always keep them (default drop).",
            valueName: "policy"))
    var outOfImage: OutOfImagePolicy?

    func validate() throws {
        if let margin, !(margin >= 0 && margin <= 10) { throw ValidationError("--margin must be between 0 and 10 seconds") }
        if let minimumPoints, minimumPoints < 1 { throw ValidationError("--min-points must be at least 1") }
    }

    /// These options over `base`.
    func applied(to base: TraceSegmenter) -> TraceSegmenter {
        TraceSegmenter(
            margin: margin ?? base.margin, minimumPoints: minimumPoints ?? base.minimumPoints,
            outOfImage: outOfImage ?? base.outOfImage)
    }
}

extension Pointillist {
    struct Ingest: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ingest",
            abstract: "Read Localized Narratives JSONL into the corpus, aligning caption words with traces.",
            discussion: """
                Inputs are files, directories (their .jsonl/.jsonl.gz files, recursively) or quoted glob \
                patterns such as 'shards/*.jsonl.gz'; plain or gzip-compressed. Each narrative is keyed by \
                (dataset_id, image_id, annotator_id): ingesting the same data again adds nothing. An \
                interrupted ingest resumes where its last commit (every 32 MB of input, more often \
                near the end of a file) ended.

                Invalid lines are reported with file, line, column and field, written with their original \
                bytes to the rejects file (reasons in <rejects>.tsv), and the run goes on. The summary \
                reconciles: read = stored + duplicates + rejected.

                Video Localized Narratives lines (with actor_narratives) are recognised per line: each \
                actor narrative is stored on each keyframe it traces, as image <dataset_id>/<video_id>/<frame>, \
                with annotator id vidln_id × 1000 + actor index. Counters count lines; the narratives \
                a VidLN line adds are counted apart.

                A UTF-8 byte-order mark at the start of a file is skipped and counted. A line longer \
                than --max-line-bytes is rejected without being read into memory whole. A damaged or \
                truncated gzip file keeps every complete line before the damage; its outcome says where \
                the damage is, the other files are read, and the run exits with status 4. Ingesting \
                the repaired file again (same path) continues after the last stored line.

                The word-segment options are recorded in a new corpus and used by later stages; a \
                corpus keeps the settings of its first ingest (a later ingest that asks for other \
                settings is refused with exit status 64).

                Exit status: 0 done; 3 stopped at --max-errors; 4 a file is damaged; 64 bad usage.
                """)

        @OptionGroup var corpus: CorpusOption
        @OptionGroup var segments: SegmentOptions

        @Argument(help: ArgumentHelp("JSONL files, directories or glob patterns.", valueName: "input"))
        var inputs: [String]

        @Option(help: ArgumentHelp("Where rejected lines go (default: beside the database, <name>.rejects.jsonl).", valueName: "path"))
        var rejects: String?

        @Option(
            name: .customLong("max-errors"),
            help: ArgumentHelp("Stop after this many rejected lines; a later run resumes after the last one.", valueName: "n"))
        var maxErrors: Int?

        @Option(
            name: .customLong("max-line-bytes"),
            help: ArgumentHelp(
                "Reject lines longer than this many bytes without holding them in memory (default 4194304, 4 MiB; a narrative line holds a few kilobytes, a Video LN line a few hundred).",
                valueName: "n"))
        var maxLineBytes: Int = LineReader.defaultMaximumLineBytes

        @Option(
            name: .customLong("batch-lines"),
            help: ArgumentHelp(
                "Commit at least every this many lines (default: every 32 MB of input, more often near the end of a file).", valueName: "n"))
        var batchLines: Int?

        @Flag(help: "Print only the summary: no progress bar, no per-line errors.")
        var quiet = false

        func validate() throws {
            if let maxErrors, maxErrors < 1 { throw ValidationError("--max-errors must be at least 1") }
            if let batchLines, batchLines < 1 { throw ValidationError("--batch-lines must be at least 1") }
            if maxLineBytes < 1024 || maxLineBytes > 1 << 30 { throw ValidationError("--max-line-bytes must be between 1024 and 1073741824") }
        }

        func run() throws {
            let started = Terminal.now()
            let files: [SourceFile]
            do { files = try FileSystem.expandInputs(inputs) } catch { throw ValidationError("\(error)") }
            let store = try Corpus(path: corpus.db)
            var options = IngestOptions()
            options.maxErrors = maxErrors
            options.batchLines = batchLines ?? .max
            options.maxLineBytes = maxLineBytes
            let recordedSegmenter = try store.segmenter()
            options.segmenter = segments.applied(to: recordedSegmenter)
            if try store.setting("segment.margin") != nil, options.segmenter != recordedSegmenter {
                Terminal.error(
                    """
                    error: this corpus records word-segment settings from its first ingest (\(Self.describe(recordedSegmenter))), \
                    and every stored count and later stage uses them; asked for \(Self.describe(options.segmenter)). \
                    Leave out --margin, --min-points and --out-of-image to ingest with the recorded settings, \
                    or ingest into a new corpus (--db) to use others.
                    """)
                throw ExitCode(64)
            }

            let bar = ProgressBar(enabled: !quiet)
            var shown = 0
            let report = try Ingester(corpus: store, options: options).run(
                files,
                progress: { p in bar.update(done: p.bytesDone, total: p.bytesTotal, items: p.lines, unit: "lines") },
                onReject: { r in
                    guard !quiet else { return }
                    shown += 1
                    if shown <= 20 {
                        bar.finish()
                        Terminal.error("rejected \(r)")
                    }
                })
            bar.finish()
            let elapsed = Terminal.now() - started

            let rejectsPath = rejects ?? Format.besideDatabase(corpus.db, suffix: ".rejects.jsonl")
            let sourceIDs = try store.sources().filter { s in files.contains { $0.path == s.path } }.map(\.id)
            let rejected = try store.rejects(sourceIDs: sourceIDs)
            if !rejected.isEmpty { try RejectsFile.write(rejected, to: rejectsPath) }

            print(
                Self.summary(
                    report, corpus: store, path: corpus.db, rejectsPath: rejected.isEmpty ? nil : rejectsPath,
                    seconds: elapsed, bytes: files.reduce(0) { $0 + $1.size }, shownErrors: min(shown, 20)))
            for damaged in report.damaged {
                Terminal.error(
                    "\(damaged.path): \(damaged.damage.map(String.init(describing:)) ?? "damaged"); the \(damaged.counts.read + damaged.counts.blank) complete lines before it are stored. Repair or replace the file and run the same command again to continue after them."
                )
            }
            if !report.damaged.isEmpty { throw ExitCode(4) }
            if report.stoppedAtErrorLimit {
                Terminal.error("stopped after \(maxErrors ?? 0) rejected lines (--max-errors); run the same command again to continue after them")
                throw ExitCode(3)
            }
        }

        static func describe(_ s: TraceSegmenter) -> String {
            "--margin \(s.margin) --min-points \(s.minimumPoints) --out-of-image \(s.outOfImage.rawValue)"
        }

        static func summary(
            _ report: IngestReport, corpus: Corpus, path: String, rejectsPath: String?, seconds: Double, bytes: Int64,
            shownErrors: Int
        ) -> String {
            var lines: [String] = []
            let c = report.counts
            let run = report.thisRun
            let size = (try? corpus.size()) ?? (narratives: 0, images: 0)
            lines.append("Corpus \(path): \(Format.count(size.narratives)) narratives of \(Format.count(size.images)) images")
            lines.append("")
            lines.append("file\toutcome\tread\tstored\tduplicates\trejected")
            for s in report.sources {
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
            if let rejectsPath {
                lines.append("rejected      \(Format.count(c.rejected)) lines → \(rejectsPath) (reasons: \(rejectsPath).tsv)")
                if c.rejected > shownErrors, shownErrors > 0 { lines.append("              (the first \(shownErrors) were printed above)") }
            }
            lines.append(String(format: "time          %.2f s, %.1f MB/s", seconds, Double(bytes) / max(seconds, 1e-9) / 1e6))
            return lines.joined(separator: "\n")
        }
    }
}
