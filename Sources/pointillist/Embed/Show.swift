import ArgumentParser
import Embedding
import Foundation
import Imaging
import Narratives
import Questions
import Store
import Support

extension Pointillist.Embed {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Print what a model file holds.")

        @Argument(help: ArgumentHelp("The model file.", valueName: "path"))
        var model: String

        func run() throws {
            let m = try ModelFile.read(model)
            let t = m.training
            print("file         \(model) (format version \(m.fileVersion ?? Int(ModelFile.version)))")
            print("features     \(m.features.dimension): \(m.features.names.joined(separator: " "))")
            print(
                "working side \(m.features.workingSide.map { "\($0) px (images decoded reduced to a longer side of \($0) to about \(2 * $0) px)" } ?? "none (full resolution; a model file from before working resolutions)")"
            )
            print(
                "detail side  \(m.features.detailSide.map { "\($0) px (images decoded to a longer side of \($0) to about \(2 * $0) px for the pixel's colour and the first scale)" } ?? "none (every scale at the working side)")"
            )
            print(
                "network      \(m.network.layers.map { "\($0.inputs)" }.joined(separator: " → ")) → \(m.network.classCount) (ReLU hidden layers), embedding \(m.network.embeddingDimension), \(m.network.parameterCount) parameters"
            )
            print(
                "training     seed \(t.seed), \(t.epochs) epochs, best \(t.bestEpoch); \(t.trainingPoints) points on \(t.trainingImages) images; validation \(t.validationPoints) points on \(t.validationImages) images"
            )
            if let c = t.cleaning {
                print("cleaning     \(c.summary); the figures above and below are of the points kept")
            }
            print(String(format: "validation   loss %.4f, accuracy %.1f%%", t.validationLoss, 100 * t.validationAccuracy))
            let bank = m.bank.counts
            print(
                bank.isEmpty
                    ? "bank         none\(m.fileVersion == 1 ? " (a model file of version 1)" : "")"
                    : "bank         \(bank.reduce(0, +)) typical training points (\(bank.min()!)–\(bank.max()!) per class) for classes without traces in an image"
            )
            print(
                "classes      \(m.classes.count): " + m.classes.prefix(30).map { "\($0.id) \($0.name)" }.joined(separator: ", ")
                    + (m.classes.count > 30 ? ", …" : ""))
        }
    }
}
