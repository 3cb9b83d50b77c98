import ArgumentParser
import Narratives
import Pipeline
import Support

extension Pointillist {
    struct Shard: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "shard",
            abstract: "Tag every narrative line with its shard, for a cluster run sharded by image.",
            discussion: """
                Reads the inputs as ingest does (plain or gzip, a byte-order mark skipped, over-long \
                lines not held whole, a damaged gzip file kept up to the damage) and writes one record \
                per line to standard output, tab-separated:

                  L <shard> <file> <line> <the line's bytes>    a line to route to <shard>
                  R <file> <line> <reason> <first bytes>        a line too long to route
                  F <file> <routed> <blank> <bom> <damage> <path>   the end of a file

                <file> is the input's index (from --first-file-index), <line> its 1-based line number. \
                A line's shard is the bucket of its image key: the image_id of an LN line, \
                <dataset_id>/<video_id> for a Video LN line (so all of a video's keyframes share a \
                shard), the line's own bytes for a line neither decoder accepts. The buckets come \
                from a fixed hash: the same image gets the same shard on every machine and run. \
                cluster/pointillist_spark.py uses this command; see README, "Running on a cluster".

                Exit status: 0 done; 4 a file is damaged (its complete lines before the damage are written); 64 bad usage.
                """)

        @Option(help: ArgumentHelp("Number of shards.", valueName: "n"))
        var shards: Int

        @Option(name: .customLong("first-file-index"), help: ArgumentHelp("The <file> number of the first input.", valueName: "n"))
        var firstFileIndex = 0

        @Option(
            name: .customLong("max-line-bytes"),
            help: ArgumentHelp("Lines longer than this are rejected here, as ingest would (default 4194304).", valueName: "n"))
        var maxLineBytes: Int = LineReader.defaultMaximumLineBytes

        @Flag(help: "No progress bar and no summary on standard error.")
        var quiet = false

        @Argument(help: ArgumentHelp("JSONL files, directories or glob patterns.", valueName: "input"))
        var inputs: [String]

        func validate() throws {
            if shards < 1 || shards > 1 << 20 { throw ValidationError("--shards must be between 1 and 1048576") }
            if firstFileIndex < 0 { throw ValidationError("--first-file-index must not be negative") }
            if maxLineBytes < 1024 || maxLineBytes > 1 << 30 { throw ValidationError("--max-line-bytes must be between 1024 and 1073741824") }
        }

        func run() throws {
            var options = ShardJob.Options(inputs: inputs, sharding: Sharding(count: shards))
            options.firstFileIndex = firstFileIndex
            options.maxLineBytes = maxLineBytes
            var output = FileSink(descriptor: 1, path: "standard output")
            let bar = ProgressBar(enabled: !quiet)
            let files = try ShardJob(options: options).run(output: &output) { done, total, lines in
                bar.update(done: done, total: total, items: lines, unit: "lines")
            }
            bar.finish()
            for file in files {
                if !quiet {
                    Terminal.error(
                        "\(file.path): \(file.routed) lines routed to \(file.perShard.filter { $0 > 0 }.count) of \(shards) shards, "
                            + "\(file.rejected) rejected (too long), \(file.blank) blank")
                }
                if let damage = file.damage {
                    Terminal.error("\(file.path): \(damage); the complete lines before it were routed")
                }
            }
            if files.contains(where: { $0.damage != nil }) { throw ExitCode(4) }
        }
    }
}
