import ArgumentParser
import Foundation
import Narratives
import Pipeline
import Store
import Support

extension Pointillist {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Print the narratives of an image: each word, its time span and its trace segment.",
            discussion: """
                One table per narrative: the caption word, its character offset, its spoken time span \
                (seconds), how it was aligned, and the number of trace points in its segment with their \
                bounding box in normalised image coordinates (x0,y0–x1,y1). An asterisk marks an \
                interpolated segment.
                """)

        @OptionGroup var corpus: CorpusOption
        @OptionGroup var segments: SegmentOptions

        @Argument(help: "The image id, as in the narratives' image_id.")
        var imageID: String

        func run() throws {
            guard FileManager.default.fileExists(atPath: corpus.db) else {
                throw PointillistError("no corpus at \(corpus.db): run `pointillist ingest` first, or pass --db")
            }
            let store = try Corpus(path: corpus.db, readOnly: true)
            let segmenter = segments.overrides.applied(to: try store.segmenter())
            let narratives = try store.narratives(imageID: imageID)
            guard !narratives.isEmpty else {
                Terminal.error("no narrative of image \(imageID) in \(corpus.db)")
                throw ExitCode(1)
            }
            for stored in narratives {
                print(Self.render(stored, segmenter: segmenter))
            }
        }

        static func render(_ stored: StoredNarrative, segmenter: TraceSegmenter) -> String {
            let n = stored.narrative
            var out: [String] = []
            out.append("\(n.key)  (from \(stored.sourcePath):\(stored.sourceLine))")
            out.append("caption: \(n.caption)")
            let aligned = stored.words.filter(\.isAligned).count
            out.append(
                "\(stored.words.count) words, \(aligned) aligned; \(n.utterances.count) utterances; \(n.traces.points.count) trace points in \(n.traces.segmentLengths.count) segments\(n.hasTraces ? "" : " (no traces in the record)")"
            )
            out.append("word\toffset\tstart\tend\talignment\tpoints\tbox")
            for word in stored.words {
                var row = [stored.text(of: word), "\(word.start)"]
                if word.isAligned {
                    let segment = segmenter.segment(of: word, in: n.traces)
                    let box =
                        segment.boundingBox.map {
                            String(format: "%.3f,%.3f–%.3f,%.3f", $0.minX, $0.minY, $0.maxX, $0.maxY)
                        } ?? "–"
                    row += [
                        Format.time(word.startTime), Format.time(word.endTime), word.status.description,
                        "\(segment.points.count)\(segment.interpolated ? "*" : "")", box,
                    ]
                } else {
                    row += ["–", "–", word.status.description, "0", "–"]
                }
                out.append(row.joined(separator: "\t"))
            }
            return out.joined(separator: "\n") + "\n"
        }
    }
}
