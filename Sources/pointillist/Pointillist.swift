import ArgumentParser
import Embedding
import Foundation
import Pipeline
import Support

/// The `pointillist` command: Localized Narratives in, point-annotation questions out.
@main
struct Pointillist: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pointillist",
        abstract: "Turn Localized Narratives into point-annotation questions for semantic segmentation.",
        discussion: """
            Pipeline: ingest (narratives → SQLite corpus, words aligned with mouse traces) → vocab \
            (class dictionary from WordNet and the captions; mentions with their trace points) → \
            embed (a pixel embedding trained on the trace points of the most frequent classes) → \
            questions (per-image model M, sampled points, batches, answers, rounds, point labels). \
            render and stats draw them; evaluate scores segmentation methods with point labels; scenes \
            generates images with ground truth to try it all on.
            """,
        version: "0.1.0",
        subcommands: [
            Ingest.self, Shard.self, Show.self, Vocab.self, Scenes.self, Embed.self, Questions.self, Evaluate.self, Render.self, Stats.self,
        ]
    )

    static func main() {
        // Per-image work allocates and frees megabyte-sized arrays (feature tables); glibc would
        // map and unmap each one, costing thousands of page faults per image (measured: 2,600
        // per 320×240 image; system time then exceeded user time). Keep such blocks in the heap.
        Platform.keepLargeBlocksInHeap(below: 64 << 20, trimAbove: 256 << 20)
        LinearAlgebra.restartWithMatchingKernels()
        LinearAlgebra.runOnCallingThreads()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: readable(error))
        }
    }

    /// Foundation's file errors as the program's own: the path and what went wrong, instead of
    /// "Error Domain=NSCocoaErrorDomain Code=4 …".
    static func readable(_ error: Error) -> Error {
        guard !(error is PointillistError) else { return error }
        let ns = error as NSError
        guard ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain else { return error }
        let path = ns.userInfo[NSFilePathErrorKey] as? String ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path
        var reason = ns.localizedDescription
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError { reason += " (\(underlying.localizedDescription))" }
        return path.map { PointillistError(file: $0, reason: reason) } ?? PointillistError(reason)
    }
}

/// The Open Images class list (MID,DisplayName): `vocab build` maps classes to its MIDs, and
/// `scenes` names the classes of its image-level labels by them.
struct OpenImagesOption: ParsableArguments {
    @Option(
        name: .customLong("openimages"),
        help: ArgumentHelp(
            "Open Images class descriptions CSV (MID,DisplayName) whose MIDs name classes (default: Data/openimages/oidv6-class-descriptions.csv as the program ships it, found like --vocab's default).",
            valueName: "path"))
    var file: String?

    /// The file given, else the shipped one (nil when it cannot be found).
    var path: String? { file ?? ShippedFiles.openImagesClasses }
}

/// The corpus database option shared by subcommands.
struct CorpusOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The corpus database (SQLite).", valueName: "path"))
    var db: String = "corpus.sqlite"
}
