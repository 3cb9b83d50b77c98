import Narratives
import Support

/// The point labels of one image: each distinct position once, with the classes labelled Yes
/// and No there.
public struct ImagePointLabels: Sendable, Equatable {
    /// Normalised positions in [0, 1], origin top-left.
    public var x: [Float] = []
    public var y: [Float] = []
    /// Point `i`'s labels are `labels[start[i]..<start[i + 1]]`: a class index `c` for Yes,
    /// `~c` (negative) for No, sorted, each class once.
    public var start: [Int32] = [0]
    public var labels: [Int32] = []

    public init() {}

    public var count: Int { x.count }

    /// Adds a point with its labels (`c` Yes, `~c` No).
    public mutating func append(x: Float, y: Float, labels new: [Int32]) {
        self.x.append(x)
        self.y.append(y)
        labels += new
        start.append(Int32(labels.count))
    }

    /// The labels of point `i`.
    public func labels(of i: Int) -> ArraySlice<Int32> { labels[Int(start[i])..<Int(start[i + 1])] }
}

/// Point labels in the Open Images V7 point-label layout, read for evaluation: per image its
/// points, with every row accounted for.
///
/// Rows at the same position of an image (the same X and Y text) are one point with several
/// labels. A class labelled both Yes and No at one point is left out there (`conflicting`);
/// a repeated label counts once (`repeated`). `unsure` rows (Unresolved) are left out.
/// Reconciliation: `rows = yes + no + unsure + rejectedRows`.
public struct PointLabelSet: Sendable {
    public var imageIDs: [String] = []
    /// Per image of `imageIDs`, its points.
    public var images: [ImagePointLabels] = []
    /// Data rows read (blank lines apart), and what became of them.
    public var rows = 0
    public var yes = 0
    public var no = 0
    public var unsure = 0
    public var rejectedRows = 0
    /// The first `PointLabelReader.keptErrors` rejected rows, each with file, line and field.
    public var rejected: [PointillistError] = []
    /// Labels left out because the same point has the class both Yes and No (each side counted).
    public var conflicting = 0
    /// Labels that repeat one already read at the same point.
    public var repeated = 0

    public init() {}

    /// Distinct labelled positions.
    public var points: Int { images.reduce(0) { $0 + $1.count } }
}

/// Reads point-label CSV files (plain or gzip) into a `PointLabelSet`.
///
/// The header names the columns (any order, any others read past): `ImageId` (or `ImageID`),
/// `X`, `Y`, `Label`, `EstimatedYesNo`, and optionally `TextLabel`. Values: X and Y numbers
/// in [0, 1], EstimatedYesNo `yes`, `no` or `unsure`, Label not empty. A row that breaks a
/// rule is rejected with its file, line and field and the rest is read; a file without the
/// header's columns, or a damaged gzip stream, is an error.
public enum PointLabelReader {
    /// Rejected rows whose errors are kept for printing; the rest are counted.
    public static let keptErrors = 20

    public static func read(_ paths: [String], classes: inout ClassSpace) throws(PointillistError) -> PointLabelSet {
        var rows = RowAccumulator()
        for path in paths { try rows.read(path, classes: &classes) }
        return rows.grouped()
    }
}

/// Rows as read, before they are grouped into points.
struct RowAccumulator {
    var set = PointLabelSet()
    var image: [Int32] = []
    var x: [Float] = []
    var y: [Float] = []
    /// Class index `c` for Yes, `~c` for No.
    var entry: [Int32] = []
    var imageIndex: [String: Int32] = [:]
    var lastImage: (bytes: [UInt8], index: Int32)?

    struct Columns {
        var image, x, y, label, answer: Int
        var text: Int?
        var count: Int
    }

    mutating func read(_ path: String, classes: inout ClassSpace) throws(PointillistError) {
        let reader = try LineReader(try SourceFile(path: path))
        var columns: Columns?
        while let batch = reader.next() {
            if let overlong = batch.overlong {
                reject(PointillistError(file: path, line: batch.firstLineNumber, reason: overlong.reason))
                continue
            }
            try batch.bytes.withUnsafeBufferPointer { (bytes: UnsafeBufferPointer<UInt8>) throws(PointillistError) in
                for (i, range) in batch.lines.enumerated() {
                    let line = UnsafeBufferPointer(rebasing: bytes[range])
                    if LineBytes.isBlank(line) { continue }
                    let number = batch.firstLineNumber + i
                    guard let at = columns else {
                        columns = try Self.header(line, path: path, line: number)
                        continue
                    }
                    if let error = add(line, columns: at, classes: &classes, path: path, line: number) { reject(error) }
                }
            }
        }
        if let damage = reader.damage { throw PointillistError(file: path, reason: "\(damage)") }
        if columns == nil { throw PointillistError(file: path, reason: "empty: expected a header naming ImageId,X,Y,Label,EstimatedYesNo") }
    }

    mutating func reject(_ error: PointillistError) {
        set.rows += 1
        set.rejectedRows += 1
        if set.rejected.count < PointLabelReader.keptErrors { set.rejected.append(error) }
    }

    static func header(_ line: UnsafeBufferPointer<UInt8>, path: String, line number: Int) throws(PointillistError) -> Columns {
        let names = fields(line).map { String(decoding: $0, as: UTF8.self).trimmingSpaces().lowercased() }
        func column(_ accepted: [String], _ shown: String) throws(PointillistError) -> Int {
            guard let i = names.firstIndex(where: { accepted.contains($0) }) else {
                throw PointillistError(
                    file: path, line: number, field: shown,
                    reason: "the header names no \(shown) column (expected ImageId,X,Y,Label,EstimatedYesNo, as Open Images V7's point labels)")
            }
            return i
        }
        return Columns(
            image: try column(["imageid"], "ImageId"), x: try column(["x"], "X"), y: try column(["y"], "Y"),
            label: try column(["label"], "Label"), answer: try column(["estimatedyesno"], "EstimatedYesNo"),
            text: names.firstIndex(of: "textlabel"), count: names.count)
    }

    /// A line's fields: split at commas, or read as CSV when it quotes.
    static func fields(_ line: UnsafeBufferPointer<UInt8>) -> [[UInt8]] {
        var end = line.count
        if end > 0, line[end - 1] == 0x0D { end -= 1 }
        let body = UnsafeBufferPointer(rebasing: line[0..<end])
        if body.contains(0x22) {
            let record = CSV.records(String(decoding: body, as: UTF8.self)).records.first
            return (record?.fields ?? []).map { Array($0.utf8) }
        }
        return body.split(separator: 0x2C, omittingEmptySubsequences: false).map { Array($0) }
    }

    /// Adds one data row; the error when it is rejected.
    mutating func add(
        _ line: UnsafeBufferPointer<UInt8>, columns: Columns, classes: inout ClassSpace, path: String, line number: Int
    ) -> PointillistError? {
        let f = Self.fields(line)
        func failure(_ field: String, _ reason: String) -> PointillistError {
            PointillistError(file: path, line: number, field: field, reason: reason)
        }
        guard f.count >= columns.count else {
            return failure("", "\(f.count) fields where the header has \(columns.count)")
        }
        let imageBytes = f[columns.image]
        guard !imageBytes.isEmpty else { return failure("ImageId", "empty") }
        func coordinate(_ i: Int, _ name: String) -> Result<Float, PointillistError> {
            guard let value = DecimalText.parse(f[i]), value >= 0, value <= 1 else {
                return .failure(failure(name, "\"\(String(decoding: f[i], as: UTF8.self))\" is not a number from 0 to 1"))
            }
            return .success(Float(value))
        }
        let px: Float
        let py: Float
        switch coordinate(columns.x, "X") {
        case .success(let v): px = v
        case .failure(let e): return e
        }
        switch coordinate(columns.y, "Y") {
        case .success(let v): py = v
        case .failure(let e): return e
        }
        guard !f[columns.label].isEmpty else { return failure("Label", "empty") }
        let answer = f[columns.answer]
        let isYes = answer.elementsEqual("yes".utf8)
        guard isYes || answer.elementsEqual("no".utf8) || answer.elementsEqual("unsure".utf8) else {
            return failure("EstimatedYesNo", "\"\(String(decoding: answer, as: UTF8.self))\" is not yes, no or unsure")
        }
        set.rows += 1
        if !isYes && answer.count == 6 {
            set.unsure += 1
            return nil
        }
        if isYes { set.yes += 1 } else { set.no += 1 }
        let label = String(decoding: f[columns.label], as: UTF8.self)
        let name = columns.text.map { String(decoding: f[$0], as: UTF8.self) } ?? label
        let c = classes.pointLabelClass(label: label, name: name)
        image.append(imageIndex(imageBytes))
        x.append(px)
        y.append(py)
        entry.append(isYes ? c : ~c)
        return nil
    }

    /// The index of an image id; files list an image's rows together, so the last is checked first.
    mutating func imageIndex(_ bytes: [UInt8]) -> Int32 {
        if let last = lastImage, last.bytes == bytes { return last.index }
        let id = String(decoding: bytes, as: UTF8.self)
        let index: Int32
        if let known = imageIndex[id] {
            index = known
        } else {
            index = Int32(set.imageIDs.count)
            imageIndex[id] = index
            set.imageIDs.append(id)
        }
        lastImage = (bytes, index)
        return index
    }

    /// The rows grouped by image (counting sort, so in reading order within an image), then by
    /// position.
    func grouped() -> PointLabelSet {
        var result = set
        let imageCount = set.imageIDs.count
        var first = [Int](repeating: 0, count: imageCount + 1)
        for i in image { first[Int(i) + 1] += 1 }
        for i in 0..<imageCount { first[i + 1] += first[i] }
        var order = [Int](repeating: 0, count: image.count)
        var next = first
        for (row, i) in image.enumerated() {
            order[next[Int(i)]] = row
            next[Int(i)] += 1
        }
        result.images = (0..<imageCount).map { i in
            let rows = order[first[i]..<first[i + 1]].sorted { a, b in
                x[a] != x[b] ? x[a] < x[b] : y[a] != y[b] ? y[a] < y[b] : entry[a] < entry[b]
            }
            var points = ImagePointLabels()
            var at = rows.startIndex
            while at < rows.endIndex {
                var end = at
                while end < rows.endIndex, x[rows[end]] == x[rows[at]], y[rows[end]] == y[rows[at]] { end += 1 }
                let (labels, repeated, conflicting) = Self.labels(rows[at..<end].map { entry[$0] })
                result.repeated += repeated
                result.conflicting += conflicting
                if !labels.isEmpty { points.append(x: x[rows[at]], y: y[rows[at]], labels: labels) }
                at = end
            }
            return points
        }
        return result
    }

    /// One point's entries: each class once, sorted; a class both Yes and No dropped. Returns
    /// the labels kept, the entries repeating a kept one, and the entries of dropped classes.
    static func labels(_ entries: [Int32]) -> (kept: [Int32], repeated: Int, conflicting: Int) {
        if entries.count == 1 { return (entries, 0, 0) }
        let present = Set(entries)
        let conflicts = Set(present.filter { $0 >= 0 && present.contains(~$0) })
        func inConflict(_ e: Int32) -> Bool { conflicts.contains(e >= 0 ? e : ~e) }
        let kept = present.filter { !inConflict($0) }.sorted()
        let conflicting = entries.filter(inConflict).count
        return (kept, entries.count - conflicting - kept.count, conflicting)
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\u{FEFF}" { s = s.dropFirst() }
        while let c = s.last, c == " " { s = s.dropLast() }
        return String(s)
    }
}
