import Embedding
import Foundation
import Pipeline
import Store

/// What `embed train` prints as it goes (progress bars, per-epoch lines) and at the end.
final class TrainingPrinter {
    let quiet: Bool
    let imageBar: ProgressBar
    let batchBar: ProgressBar
    var last = ""

    init(quiet: Bool) {
        self.quiet = quiet
        imageBar = ProgressBar(enabled: !quiet)
        batchBar = ProgressBar(enabled: !quiet)
    }

    var progress: TrainJob.Progress {
        TrainJob.Progress(
            images: { done, total in self.imageBar.updateCount(done: done, total: total, label: "images") },
            extracted: { data, classes, seconds in self.extracted(data, classes: classes, seconds) },
            epoch: { self.epoch($0) },
            batches: { done, total in self.batchBar.updateCount(done: done, total: total, label: "batches, " + self.last) })
    }

    func extracted(_ data: TrainingDataReport, classes: Int, _ seconds: Double) {
        imageBar.finish()
        for s in data.skipped.prefix(quiet ? 0 : 10) { Terminal.error("skipped image \(s.imageID): \(s.reason)") }
        if data.skipped.count > 10, !quiet { Terminal.error("… \(data.skipped.count - 10) more images skipped") }
        print(
            "data       \(data.points) trace points of \(data.mentions) mentions on \(data.images) images, \(classes) classes (\(data.skipped.count) images skipped); read in \(Format.seconds(seconds)), \(Int((Double(data.images) / max(seconds, 1e-9)).rounded())) images/s"
        )
    }

    func epoch(_ e: EpochReport) {
        last = (e.round > 0 ? "cleaning round \(e.round), " : "") + String(format: "loss %.3f acc %.1f%%", e.trainingLoss, 100 * e.trainingAccuracy)
        guard !quiet else { return }
        batchBar.finish()
        if e.epoch == 1, e.round > 0 { print("cleaning round \(e.round): trained again without the points set aside") }
        print(
            String(
                format: "epoch %3d  train loss %.4f  acc %5.1f%%   validation loss %.4f  acc %5.1f%%%@", e.epoch, e.trainingLoss,
                100 * e.trainingAccuracy, e.validationLoss, 100 * e.validationAccuracy, e.best ? "  *" : ""))
    }

    func finish(_ report: TrainJob.Report) {
        batchBar.finish()
        let (model, t) = (report.model, report.model.training)
        if let c = t.cleaning {
            let total = t.trainingPoints + t.validationPoints + (c.setAside.last ?? 0)
            print("cleaning   \(c.summary) of \(total)")
        }
        print(
            "split      \(t.trainingPoints) training points on \(t.trainingImages) images, \(t.validationPoints) validation points on \(t.validationImages) images"
        )
        print(
            String(
                format: "best       epoch %d of %d: validation loss %.4f, accuracy %.1f%%%@", t.bestEpoch, t.epochs, t.validationLoss,
                100 * t.validationAccuracy, t.cleaning == nil ? "" : " (on the points kept)"))
        print(
            "model      \(report.path): \(model.network.layers.map { "\($0.inputs)" }.joined(separator: " → ")) → \(model.network.classCount), embedding \(model.network.embeddingDimension), \(model.network.parameterCount) parameters"
        )
        print("time       \(Format.seconds(report.seconds))")
    }
}
