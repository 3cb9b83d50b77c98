import Foundation
import Narratives
import Questions
import Store
import Support

/// `pointillist questions batch`: the questions not yet in a batch, replicated and cut into
/// batches, each written as `batch-NNNNNN.csv` and `.jsonl` (numbers continue across runs)
/// and recorded in the corpus.
public struct BatchJob {
    public struct Options: Sendable {
        public var database: String
        public var folder: String
        /// The image address shown to annotators; `{id}` is the image id.
        public var imageURL: String
        /// The size of images without a recorded one (sampled before sizes were recorded);
        /// nil: such an image is an error.
        public var imageSize: ImageSize?
        public var batches = BatchOptions()
        /// Put before `batch-NNNNNN` in the files' names: a corpus's shards number their
        /// batches each from 1, so each names its files apart (the cluster driver: `sNNNNN-`).
        public var prefix = ""

        public init(database: String, folder: String, imageURL: String, imageSize: ImageSize? = nil) {
            self.database = database
            self.folder = folder
            self.imageURL = imageURL
            self.imageSize = imageSize
        }
    }

    /// One batch written: its number, distinct questions, assignments, and the files' path without extension.
    public struct Written: Sendable {
        public var number: Int
        public var questions: Int
        public var assignments: Int
        public var base: String
    }

    public var options: Options

    public init(options: Options) {
        self.options = options
    }

    /// The batches written, in order (none when no question waits); `written` sees each.
    public func run(written: ((Written) -> Void)? = nil) throws -> [Written] {
        let corpus = try Corpus.existing(options.database)
        let classes = try corpus.classesByID()
        let pending = try corpus.questions(batch: .unbatched)
        guard !pending.isEmpty else { return [] }
        let sizes = try corpus.imageSizes()
        if options.imageSize == nil, let q = pending.first(where: { sizes[$0.imageID] == nil }) {
            throw PointillistError(
                "image \(q.imageID) has no recorded size (it was sampled before sizes were recorded): pass --image-size WxH for such images")
        }
        try FileManager.default.createDirectory(atPath: options.folder, withIntermediateDirectories: true)
        let describe = { (q: Question) -> QuestionText in
            let c = classes[q.classID]
            // Checked above: a recorded size or the fallback.
            let size = sizes[q.imageID] ?? options.imageSize ?? ImageSize(width: 1, height: 1)
            return QuestionText(
                imageURL: options.imageURL.replacingOccurrences(of: "{id}", with: q.imageID), className: c?.name ?? "class \(q.classID)",
                gloss: c?.gloss ?? "", widthPixels: size.width, heightPixels: size.height)
        }
        var done: [Written] = []
        for batch in Batcher.batches(pending, options: options.batches) {
            let base = options.folder + "/" + options.prefix + "batch-" + String(format: "%06d", try corpus.nextBatchNumber())
            try FileSystem.writeAtomically(to: base + ".csv") { try $0.write(BatchFile.csv(batch, describe: describe)) }
            try FileSystem.writeAtomically(to: base + ".jsonl") { try $0.write(BatchFile.jsonl(batch, describe: describe)) }
            let ids = Array(Set(batch.map(\.question.id))).sorted()
            let number = try corpus.recordBatch(
                round: batch.map(\.question.round).max() ?? 1, questions: ids, assignments: batch.count, csv: base + ".csv",
                jsonl: base + ".jsonl")
            let w = Written(number: number, questions: ids.count, assignments: batch.count, base: base)
            written?(w)
            done.append(w)
        }
        return done
    }
}
