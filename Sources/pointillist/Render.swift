import ArgumentParser
import Pipeline

extension Pointillist {
    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "render",
            abstract: "Draw an image with its mentions' trace segments and its sampled points, coloured by class.",
            discussion: """
                Trace segments are coloured by the class of their mention; each sampled point by the \
                class of its latest question, marked with its aggregated answer (tick Yes, cross No, \
                ring Unresolved) when answers exist. A legend names the classes.
                """)

        @OptionGroup var corpus: CorpusOption
        @OptionGroup var imageOptions: ImageOptions

        @Argument(help: "The image id.")
        var imageID: String

        @Option(help: ArgumentHelp("Output PNG (default <image id>.png; path separators in the id become _).", valueName: "path"))
        var out: String?

        @Option(name: .customLong("max-side"), help: "Longer side of the drawn photo at most.")
        var maxSide = RenderJob.Options.defaultMaxSide

        func run() throws {
            var options = RenderJob.Options(database: corpus.db, images: try imageOptions.locator(), imageID: imageID)
            options.out = out
            options.maxSide = maxSide
            let r = try RenderJob(options: options).run()
            print("wrote \(r.path): \(r.traces) trace segments, \(r.points) points, \(r.classes) classes")
        }
    }
}
