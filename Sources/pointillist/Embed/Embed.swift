import ArgumentParser
import Embedding
import Foundation
import Imaging
import Narratives
import Questions
import Store
import Support

/// Where images are and how their files are named.
struct ImageOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Directory holding the images.", valueName: "dir"))
    var images: String

    @Option(
        help: ArgumentHelp(
            "File name pattern under the image directory: {id} is the image id, {id:012} zero-pads a numeric id, {ext} tries jpg, jpeg and png in turn (Open Images: {id}.jpg; COCO: {id:012}.jpg; VidLN: {id}.jpg with ids like OVIS_train/<video>/<frame>).",
            valueName: "pattern"))
    var pattern: String = "{id}.jpg"

    func locator() throws -> ImageLocator {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: images, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw PointillistError(file: images, reason: "image directory not found")
        }
        return try ImageLocator(root: images, pattern: pattern)
    }
}

extension Pointillist {
    struct Embed: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "embed",
            abstract: "Train and evaluate the class-generic pixel embedding on mouse-trace points.",
            discussion: """
                train: a per-pixel classifier (an MLP over colour and texture features) trained on the \
                trace points of the classes marked for training in the dictionary; its last hidden layer \
                is the embedding. eval: held-out accuracy of the classifier, and nearest-neighbour \
                accuracy of the embedding against raw features. show: what a model file holds.
                """,
            subcommands: [Train.self, Eval.self, Show.self, Count.self, Points.self, Fit.self])
    }
}
