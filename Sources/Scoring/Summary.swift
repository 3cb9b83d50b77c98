import Foundation
import Support

/// The figures of an evaluation: per method and source of points (the point labels, or one
/// draw), the mean point IoU with the points and classes behind it, and the mean dense IoU;
/// and Kendall's τ between the methods' rankings by the two.
public struct EvaluationSummary: Sendable {
    public struct Row: Sendable {
        public var method: String
        /// "labels" (the point-label files) or "draw N".
        public var points: String
        public var pointMeanIoU: Double?
        /// Classes with a point IoU, and those of them with fewer than `minPoints` points.
        public var classes: Int
        public var fewPointClasses: Int
        /// Points counted over all classes (TP + FP + FN summed).
        public var support: Int
        public var denseMeanIoU: Double?
    }

    public var rows: [Row] = []
    /// τ between the rankings by point IoU from the point labels and by dense IoU.
    public var labelsTau: Double?
    /// τ of each draw.
    public var drawTaus: [Double] = []
    public let minPoints: Int

    public init(_ result: Evaluator.Result, minPoints: Int) {
        self.minPoints = minPoints
        func row(_ method: Evaluator.Scores, _ name: String, _ counts: IoUCounts) -> Row {
            let scored = counts.scoredClasses
            return Row(
                method: method.name, points: name, pointMeanIoU: counts.meanIoU, classes: scored.count,
                fewPointClasses: scored.filter { counts.support($0) < minPoints }.count, support: scored.reduce(0) { $0 + counts.support($1) },
                denseMeanIoU: method.dense?.meanIoU)
        }
        for method in result.methods {
            if let points = method.points { rows.append(row(method, "labels", points)) }
            for (d, counts) in method.draws.enumerated() { rows.append(row(method, "draw \(d + 1)", counts)) }
        }
        let dense = result.methods.map { $0.dense?.meanIoU }
        func tau(_ point: [Double?]) -> Double? {
            let pairs = zip(point, dense).compactMap { p, d in p.flatMap { p in d.map { (p, $0) } } }
            guard pairs.count == point.count else { return nil }
            return KendallTau.tauB(pairs.map(\.0), pairs.map(\.1))
        }
        if result.methods.allSatisfy({ $0.points != nil && $0.dense != nil }) { labelsTau = tau(result.methods.map { $0.points?.meanIoU }) }
        let draws = result.methods.first?.draws.count ?? 0
        drawTaus = (0..<draws).compactMap { d in tau(result.methods.map { $0.draws[d].meanIoU }) }
    }

    /// Mean and sample standard deviation (0 for one value); nil for none.
    public static func spread(_ values: [Double]) -> (mean: Double, sd: Double)? {
        guard !values.isEmpty else { return nil }
        let mean = values.reduce(0, +) / Double(values.count)
        guard values.count > 1 else { return (mean, 0) }
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
        return (mean, variance.squareRoot())
    }

    public static let methodsHeader = "method,points,point_miou,classes,few_point_classes,points_counted,dense_miou"

    /// One line per row of `rows`.
    public func methodsCSV() -> String {
        var out = Self.methodsHeader + "\n"
        for r in rows {
            out += CSV.line(
                [
                    r.method, r.points, Self.number(r.pointMeanIoU), String(r.classes), String(r.fewPointClasses), String(r.support),
                    Self.number(r.denseMeanIoU),
                ],
                ending: "\n")
        }
        return out
    }

    public static let classesHeader = "method,points,label,name,tp,fp,fn,point_iou,few_points,dense_tp,dense_fp,dense_fn,dense_iou"

    /// Per method, source of points and class with a point IoU or a dense IoU: the counts and IoUs,
    /// `few_points` 1 when under `minPoints` points stand behind the point IoU.
    public func classesCSV(_ result: Evaluator.Result, classes: ClassSpace) -> String {
        var out = Self.classesHeader + "\n"
        for method in result.methods {
            let sources = (method.points.map { [("labels", $0)] } ?? []) + method.draws.enumerated().map { ("draw \($0.offset + 1)", $0.element) }
            for (name, counts) in sources {
                for c in 0..<classes.count where counts.support(c) > 0 || (method.dense?.support(c) ?? 0) > 0 {
                    let dense = method.dense
                    out += CSV.line(
                        [
                            method.name, name, classes.labels[c], classes.names[c], String(counts.tp[c]), String(counts.fp[c]), String(counts.fn[c]),
                            Self.number(counts.iou(c)), counts.support(c) < minPoints ? "1" : "0",
                            dense.map { String($0.tp[c]) } ?? "", dense.map { String($0.fp[c]) } ?? "", dense.map { String($0.fn[c]) } ?? "",
                            Self.number(dense?.iou(c)),
                        ], ending: "\n")
                }
            }
        }
        return out
    }

    /// Six decimals, or empty for none.
    static func number(_ value: Double?) -> String { value.map { String(format: "%.6f", $0) } ?? "" }
}
