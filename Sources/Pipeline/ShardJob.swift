import Narratives
import Support
import Vocabulary

/// `pointillist shard`: every line of the input files tagged with its shard (`Sharding`), as
/// a stream of records a cluster job routes to per-shard ingests.
///
/// Files are read as ingest reads them (`LineReader`: plain or gzip, a byte-order mark skipped,
/// over-long lines never held whole, a damaged gzip stream kept up to the damage), so a line
/// keeps its bytes and its line number in the file. Records, one per line of output, fields
/// separated by tabs, the last field the rest of the line:
///
/// - `L shard file line bytes`: a line to route; `bytes` are the line as read (without its
///   newline), so a routed ingest sees exactly what a direct one would.
/// - `R file line reason prefix`: a line rejected here, too long to route whole; `prefix` is
///   its first bytes, as ingest's rejects file keeps them.
/// - `F file routed blank bom damage path`: the end of a file: lines routed, blank lines,
///   1 if a byte-order mark was skipped, the damage (empty when none) and the file's path.
///
/// `file` is the input's index, counted from `firstFileIndex`.
public struct ShardJob {
    public struct Options: Sendable {
        /// Files, directories or glob patterns (`FileSystem.expandInputs`).
        public var inputs: [String]
        public var sharding: Sharding
        public var maxLineBytes = LineReader.defaultMaximumLineBytes
        public var firstFileIndex = 0
        public var workers = 2

        public init(inputs: [String], sharding: Sharding) {
            self.inputs = inputs
            self.sharding = sharding
        }
    }

    /// What one input held.
    public struct FileReport: Sendable {
        public var index: Int
        public var path: String
        /// Lines routed to each shard.
        public var perShard: [Int]
        public var blank = 0
        public var byteOrderMark = false
        /// Lines rejected here (too long to route).
        public var rejected = 0
        public var damage: InputDamage?

        public var routed: Int { perShard.reduce(0, +) }
        /// Non-blank lines: routed + rejected here.
        public var read: Int { routed + rejected }
    }

    public var options: Options

    public init(options: Options) {
        self.options = options
    }

    /// Writes the records of every input to `output`, in file and line order.
    /// `progress` gets bytes read (compressed bytes for gzip), the inputs' total and lines read.
    public func run(output: inout FileSink, progress: ((Int64, Int64, Int) -> Void)? = nil) throws -> [FileReport] {
        let files = try FileSystem.expandInputs(options.inputs)
        let total = files.reduce(0) { $0 + $1.size }
        var done: Int64 = 0
        var lines = 0
        var reports: [FileReport] = []
        for (offset, file) in files.enumerated() {
            let report = try route(file, index: options.firstFileIndex + offset, to: &output) { progress?(done + $0, total, lines + $1) }
            done += file.size
            lines += report.read + report.blank
            reports.append(report)
            try output.write(Self.endRecord(report))
        }
        try output.flush()
        return reports
    }

    /// One file's records: batches are read here, tagged by the workers and written here in order.
    func route(_ file: SourceFile, index: Int, to output: inout FileSink, progress: (Int64, Int) -> Void) throws -> FileReport {
        let reader = try LineReader(file, maxLineBytes: options.maxLineBytes)
        var report = FileReport(index: index, path: file.path, perShard: Array(repeating: 0, count: options.sharding.count))
        let (sharding, workers) = (options.sharding, options.workers)
        try pipelined(
            next: { reader.next() },
            work: { batch in (batch, Self.shards(of: batch, sharding: sharding, workers: workers)) },
            consume: { batch, shards in
                try Self.write(batch, shards: shards, file: index, to: &output, report: &report)
                progress(reader.diskPosition, report.read + report.blank)
            })
        report.damage = reader.damage
        return report
    }

    /// Each line's shard, -1 for a blank line, worked out on `workers` threads.
    static func shards(of batch: LineBatch, sharding: Sharding, workers: Int) -> [Int] {
        let shares = parallelMap(batch.lines.count, workers: workers) { range in
            batch.bytes.withUnsafeBufferPointer { bytes in
                range.map { i -> Int in
                    let line = UnsafeBufferPointer(rebasing: bytes[batch.lines[i]])
                    return LineBytes.isBlank(line) ? -1 : sharding.shard(ofLine: line)
                }
            }
        }
        return shares.flatMap { $0 }
    }

    /// The records of one batch.
    static func write(
        _ batch: LineBatch, shards: [Int], file: Int, to output: inout FileSink, report: inout FileReport
    ) throws(PointillistError) {
        if batch.skippedByteOrderMark { report.byteOrderMark = true }
        try batch.bytes.withUnsafeBufferPointer { (bytes) throws(PointillistError) in
            if let overlong = batch.overlong {
                report.rejected += 1
                try output.write("R\t\(file)\t\(batch.firstLineNumber)\t\(overlong.reason)\t")
                try output.write(UnsafeBufferPointer(rebasing: bytes[batch.lines[0]]))
                try output.write(CollectionOfOne(UInt8(ascii: "\n")))
                return
            }
            for (i, range) in batch.lines.enumerated() {
                let shard = shards[i]
                guard shard >= 0 else {
                    report.blank += 1
                    continue
                }
                report.perShard[shard] += 1
                try output.write("L\t\(shard)\t\(file)\t\(batch.firstLineNumber + i)\t")
                try output.write(UnsafeBufferPointer(rebasing: bytes[range]))
                try output.write(CollectionOfOne(UInt8(ascii: "\n")))
            }
        }
    }

    /// The record that ends a file.
    static func endRecord(_ r: FileReport) -> String {
        let damage = r.damage.map { TSV.clean("\($0)") } ?? ""
        return "F\t\(r.index)\t\(r.routed)\t\(r.blank)\t\(r.byteOrderMark ? 1 : 0)\t\(damage)\t\(r.path)\n"
    }
}
