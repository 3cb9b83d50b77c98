/// True positives, false positives and false negatives per class, from points or pixels.
public struct IoUCounts: Sendable, Equatable {
    public var tp: [Int]
    public var fp: [Int]
    public var fn: [Int]

    public init(classes: Int) {
        tp = [Int](repeating: 0, count: classes)
        fp = tp
        fn = tp
    }

    public mutating func add(_ other: IoUCounts) {
        for c in other.tp.indices {
            tp[c] += other.tp[c]
            fp[c] += other.fp[c]
            fn[c] += other.fn[c]
        }
    }

    /// The points (or pixels) behind class `c`'s IoU: TP + FP + FN.
    public func support(_ c: Int) -> Int { tp[c] + fp[c] + fn[c] }

    /// TP / (TP + FP + FN); nil for a class nothing counted.
    public func iou(_ c: Int) -> Double? {
        let n = support(c)
        return n == 0 ? nil : Double(tp[c]) / Double(n)
    }

    /// The classes with an IoU.
    public var scoredClasses: [Int] { tp.indices.filter { support($0) > 0 } }

    /// The mean IoU over the classes with one; nil when none has.
    public var meanIoU: Double? {
        let scored = scoredClasses
        guard !scored.isEmpty else { return nil }
        return scored.reduce(0.0) { $0 + iou($1)! } / Double(scored.count)
    }
}

/// How a labelled point (or a ground-truth pixel) counts against a prediction.
///
/// - A class labelled Yes is a true positive when predicted there, else a false negative.
/// - A predicted class that is not labelled Yes is a false positive when it is labelled No
///   there, or when another class is labelled Yes there (classes are taken as exclusive;
///   the Open Images hierarchy is not expanded, so a prediction of "Vehicle" at a point
///   labelled Yes for "Car" is a false positive for Vehicle).
/// - A predicted class with no label there, at a point labelled only No, counts nothing:
///   the point says nothing about it (it is `uninformative` when nothing counts at all).
/// - A point labelled Yes for several classes scores each of them; a pixel (or point) with
///   no prediction is a false negative for every Yes class.
public enum CountingRule {
    /// Counts one point: `labels` holds `c` for Yes and `~c` for No (`ImagePointLabels`). Returns
    /// whether anything was counted.
    @inlinable
    public static func count(labels: some Collection<Int32>, predicted: [Int32], into counts: inout IoUCounts) -> Bool {
        var counted = false
        var anyYes = false
        for label in labels where label >= 0 {
            anyYes = true
            counted = true
            if predicted.contains(label) { counts.tp[Int(label)] += 1 } else { counts.fn[Int(label)] += 1 }
        }
        for d in predicted where !labels.contains(d) && (anyYes || labels.contains(~d)) {
            counts.fp[Int(d)] += 1
            counted = true
        }
        return counted
    }

    /// Counts every pixel of `truth` that has a class against `prediction` (read at the same
    /// normalised place when the sizes differ); void pixels count nothing.
    public static func countDense(truth: LabelMap, prediction: LabelMap, into counts: inout IoUCounts) {
        let sameGrid = truth.width == prediction.width && truth.height == prediction.height
        let predictedIndex: [Int]? =
            sameGrid ? nil : (0..<truth.height).flatMap { y in (0..<truth.width).map { x in prediction.index(ofPixel: x, y, in: truth) } }
        if truth.overlaps.isEmpty && prediction.overlaps.isEmpty {
            truth.labels.withUnsafeBufferPointer { g in
                prediction.labels.withUnsafeBufferPointer { p in
                    for i in 0..<g.count {
                        let t = g[i]
                        guard t >= 0 else { continue }
                        let q = p[predictedIndex?[i] ?? i]
                        if q == t {
                            counts.tp[Int(t)] += 1
                        } else {
                            counts.fn[Int(t)] += 1
                            if q >= 0 { counts.fp[Int(q)] += 1 }
                        }
                    }
                }
            }
            return
        }
        for i in truth.labels.indices where truth.labels[i] >= 0 {
            _ = count(labels: truth.classes(at: i), predicted: prediction.classes(at: predictedIndex?[i] ?? i), into: &counts)
        }
    }
}

extension LabelMap {
    /// The pixel of this map at the centre of pixel (x, y) of `other`.
    func index(ofPixel x: Int, _ y: Int, in other: LabelMap) -> Int {
        pixel(x: (Float(x) + 0.5) / Float(other.width), y: (Float(y) + 0.5) / Float(other.height))
    }
}

/// Kendall's rank correlation τ-b of two score lists (ties in either list allowed).
public enum KendallTau {
    /// (concordant − discordant) / √((pairs not tied in a) · (pairs not tied in b)); nil for
    /// fewer than two items or when either list is all ties.
    public static func tauB(_ a: [Double], _ b: [Double]) -> Double? {
        precondition(a.count == b.count)
        var concordant = 0
        var discordant = 0
        var onlyA = 0
        var onlyB = 0
        for i in a.indices {
            for j in a.indices where j > i {
                let da = (a[i] - a[j]).sign(), db = (b[i] - b[j]).sign()
                switch (da, db) {
                case (0, 0): continue
                case (0, _): onlyA += 1
                case (_, 0): onlyB += 1
                default: if da == db { concordant += 1 } else { discordant += 1 }
                }
            }
        }
        let pairsA = Double(concordant + discordant + onlyB)
        let pairsB = Double(concordant + discordant + onlyA)
        guard pairsA > 0, pairsB > 0 else { return nil }
        return Double(concordant - discordant) / (pairsA * pairsB).squareRoot()
    }
}

extension Double {
    fileprivate func sign() -> Int { self > 0 ? 1 : self < 0 ? -1 : 0 }
}
