import ArgumentParser
import Narratives
import Pipeline
import Store
import Support

extension Pointillist {
    struct Ingest: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ingest",
            abstract: "Read Localized Narratives JSONL into the corpus, aligning caption words with traces.",
            discussion: """
                Inputs are files, directories (their .jsonl, .json and .ndjson files, plain or .gz, recursively) or quoted glob \
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
                "Reject lines longer than this many bytes without holding them in memory (4194304 is 4 MiB; a narrative line holds a few kilobytes, a Video LN line a few hundred).",
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
            var options = IngestJob.Options(inputs: inputs, database: corpus.db)
            options.rejects = rejects
            options.segments = segments.overrides
            options.ingest.maxErrors = maxErrors
            options.ingest.batchLines = batchLines ?? .max
            options.ingest.maxLineBytes = maxLineBytes
            let bar = ProgressBar(enabled: !quiet)
            var shown = 0
            let report: IngestJob.Report
            do {
                report = try IngestJob(options: options).run(
                    progress: { p in bar.update(done: p.bytesDone, total: p.bytesTotal, items: p.lines, unit: "lines") },
                    onReject: { r in
                        guard !quiet else { return }
                        shown += 1
                        if shown <= 20 {
                            bar.finish()
                            Terminal.error("rejected \(r)")
                        }
                    })
            } catch let conflict as IngestJob.SettingsConflict {
                Terminal.error("error: \(conflict)")
                throw ExitCode(64)
            }
            bar.finish()
            print(IngestSummary(report: report, path: corpus.db, shownErrors: min(shown, 20)).text)
            for damaged in report.ingest.damaged {
                Terminal.error(
                    "\(damaged.path): \(damaged.damage.map(String.init(describing:)) ?? "damaged"); the \(damaged.counts.read + damaged.counts.blank) complete lines before it are stored. Repair or replace the file and run the same command again to continue after them."
                )
            }
            if !report.ingest.damaged.isEmpty { throw ExitCode(4) }
            if report.ingest.stoppedAtErrorLimit {
                Terminal.error("stopped after \(maxErrors ?? 0) rejected lines (--max-errors); run the same command again to continue after them")
                throw ExitCode(3)
            }
        }
    }
}
