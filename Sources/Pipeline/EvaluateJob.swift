import Foundation
import Imaging
import Scoring
import Support

/// `pointillist evaluate`: segmentation methods scored by point IoU (from point-label files
/// and from points drawn from dense ground truth), by dense IoU, and the agreement of the
/// two rankings; a table, two CSV files and the dense-versus-point plot.
public struct EvaluateJob {
    public struct Options: Sendable {
        /// Point-label CSV files (Open Images V7 layout, plain or gzip).
        public var pointLabels: [String] = []
        /// Each method's name and mask folder.
        public var methods: [(name: String, folder: String)] = []
        /// Dense ground truth.
        public var masks: String?
        public var draws = 0
        public var pointsPerImage = 50
        public var seed: UInt64 = 1
        /// Classes with fewer points behind their point IoU are flagged.
        public var minPoints = 100
        /// Folder for methods.csv, classes.csv and dense-vs-point.png; nil writes nothing.
        public var out: String?
        public var workers = max(1, ProcessInfo.processInfo.activeProcessorCount)

        public init() {}
    }

    public struct Report: Sendable {
        public var classes: ClassSpace
        public var labels: PointLabelSet?
        public var result: Evaluator.Result
        public var summary: EvaluationSummary
        public var written: [String] = []
    }

    public var options: Options

    public init(options: Options) {
        self.options = options
    }

    public func run(progress: ((Int, Int) -> Void)? = nil) throws -> Report {
        guard !options.methods.isEmpty else { throw PointillistError("no method to evaluate (--method NAME=FOLDER)") }
        guard !options.pointLabels.isEmpty || options.masks != nil else {
            throw PointillistError("nothing to score against: give point labels (--points) or ground-truth masks (--masks)")
        }
        guard options.draws == 0 || options.masks != nil else { throw PointillistError("--draws samples points from ground truth: give --masks") }
        var classes = ClassSpace()
        var labels: PointLabelSet?
        if !options.pointLabels.isEmpty {
            labels = try PointLabelReader.read(options.pointLabels, classes: &classes)
        }
        let truth = try options.masks.map { (path: String) throws(PointillistError) in try MaskFolder(folder: path, classes: &classes) }
        var methods: [Evaluator.Method] = []
        for (name, folder) in options.methods { methods.append(.init(name: name, masks: try MaskFolder(folder: folder, classes: &classes))) }
        var evaluator = Evaluator(methods: methods, truth: truth, labels: labels, classCount: classes.count)
        evaluator.draws = options.draws
        evaluator.pointsPerImage = options.pointsPerImage
        evaluator.seed = options.seed
        evaluator.workers = options.workers
        let result = try evaluator.run(progress: progress)
        let summary = EvaluationSummary(result, minPoints: options.minPoints)
        // The report keeps the labels' counts, not their points.
        var report = Report(
            classes: classes,
            labels: labels.map {
                var l = $0
                l.images = []
                return l
            }, result: result, summary: summary)
        if let out = options.out { report.written = try write(report, to: out) }
        return report
    }

    func write(_ report: Report, to folder: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let methods = folder + "/methods.csv"
        let classes = folder + "/classes.csv"
        try FileSystem.writeAtomically(to: methods) { try $0.write(report.summary.methodsCSV()) }
        try FileSystem.writeAtomically(to: classes) { try $0.write(report.summary.classesCSV(report.result, classes: report.classes)) }
        guard report.result.methods.allSatisfy({ $0.dense != nil }) else { return [methods, classes] }
        let plot = folder + "/dense-vs-point.png"
        let bytes = try PNGFile.encode(Self.plot(report))
        try FileSystem.writeAtomically(to: plot) { try $0.write(bytes) }
        return [methods, classes, plot]
    }

    /// Dense mean IoU against point mean IoU per method: a dot per draw, a ring for the
    /// point-label files.
    static func plot(_ report: Report) -> Image {
        func points(_ method: String, labels: Bool) -> [(x: Double, y: Double)] {
            report.summary.rows.filter { $0.method == method && ($0.points == "labels") == labels }.compactMap { row in
                row.pointMeanIoU.flatMap { p in row.denseMeanIoU.map { (x: $0, y: p) } }
            }
        }
        let series = report.result.methods.map {
            Chart.Series(name: $0.name, points: points($0.name, labels: false), ringed: points($0.name, labels: true))
        }
        var note: [String] = []
        if report.labels != nil { note.append("ring: point labels") }
        if report.summary.rows.contains(where: { $0.points != "labels" }) { note.append("dot: one draw") }
        var subtitle = "\(report.result.methods.count) methods, \(report.result.images) images"
        if let tau = report.summary.labelsTau { subtitle += "; Kendall tau (point labels) \(String(format: "%.3f", tau))" }
        if let draws = EvaluationSummary.spread(report.summary.drawTaus) {
            subtitle +=
                "; tau over \(report.summary.drawTaus.count) draws \(String(format: "%.3f", draws.mean)) +- \(String(format: "%.3f", draws.sd))"
        }
        return Chart.scatter(
            series, title: "Dense IoU against point IoU", subtitle: subtitle, xTitle: "dense mean IoU", yTitle: "point mean IoU", note: note)
    }
}
