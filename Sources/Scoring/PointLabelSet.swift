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
/// Rows at the same position of an image (X and Y equal once read as `Float`, the precision
/// points are looked up at) are one point with several labels. A class labelled both Yes and No at one point is left out there (`conflicting`);
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
                guard columns != nil else {
                    throw PointillistError(file: path, line: batch.firstLineNumber, field: nil, reason: "the header: \(overlong.reason)")
                }
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
        let names = withFields(line) { text, ranges in
            ranges.map { String(decoding: UnsafeBufferPointer(rebasing: text[$0]), as: UTF8.self).trimmingSpaces().lowercased() }
        }
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

    /// Calls `body` with a line's fields as ranges of a buffer: the line itself split at commas,
    /// or, when it quotes, its fields read as CSV and laid end to end.
    static func withFields<R>(_ line: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>, [Range<Int>]) -> R) -> R {
        var end = line.count
        if end > 0, line[end - 1] == 0x0D { end -= 1 }
        let text = UnsafeBufferPointer(rebasing: line[0..<end])
        guard text.contains(0x22) else {
            var ranges: [Range<Int>] = []
            ranges.reserveCapacity(12)
            var start = 0
            for i in 0..<text.count where text[i] == 0x2C {
                ranges.append(start..<i)
                start = i + 1
            }
            ranges.append(start..<text.count)
            return body(text, ranges)
        }
        var joined: [UInt8] = []
        var ranges: [Range<Int>] = []
        for field in CSV.records(String(decoding: text, as: UTF8.self)).records.first?.fields ?? [] {
            let start = joined.count
            joined += field.utf8
            ranges.append(start..<joined.count)
        }
        return joined.withUnsafeBufferPointer { body($0, ranges) }
    }

    /// Adds one data row; the error when it is rejected.
    mutating func add(
        _ line: UnsafeBufferPointer<UInt8>, columns: Columns, classes: inout ClassSpace, path: String, line number: Int
    ) -> PointillistError? {
        Self.withFields(line) { text, ranges in
            add(fields: text, ranges, columns: columns, classes: &classes, path: path, line: number)
        }
    }

    mutating func add(
        fields text: UnsafeBufferPointer<UInt8>, _ ranges: [Range<Int>], columns: Columns, classes: inout ClassSpace, path: String,
        line number: Int
    ) -> PointillistError? {
        func field(_ i: Int) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: text[ranges[i]]) }
        func failure(_ name: String?, _ reason: String) -> PointillistError {
            PointillistError(file: path, line: number, field: name, reason: reason)
        }
        guard ranges.count >= columns.count else {
            return failure(nil, "\(ranges.count) fields where the header has \(columns.count)")
        }
        guard !ranges[columns.image].isEmpty else { return failure("ImageId", "empty") }
        guard let px = DecimalText.parse(field(columns.x)), px >= 0, px <= 1 else {
            return failure("X", "\"\(String(decoding: field(columns.x), as: UTF8.self))\" is not a number from 0 to 1")
        }
        guard let py = DecimalText.parse(field(columns.y)), py >= 0, py <= 1 else {
            return failure("Y", "\"\(String(decoding: field(columns.y), as: UTF8.self))\" is not a number from 0 to 1")
        }
        guard !ranges[columns.label].isEmpty else { return failure("Label", "empty") }
        let answer = field(columns.answer)
        let isYes = answer.elementsEqual("yes".utf8)
        let isNo = !isYes && answer.elementsEqual("no".utf8)
        guard isYes || isNo || answer.elementsEqual("unsure".utf8) else {
            return failure("EstimatedYesNo", "\"\(String(decoding: answer, as: UTF8.self))\" is not yes, no or unsure")
        }
        set.rows += 1
        guard isYes || isNo else {
            set.unsure += 1
            return nil
        }
        if isYes { set.yes += 1 } else { set.no += 1 }
        let label = String(decoding: field(columns.label), as: UTF8.self)
        let c =
            classes.index(ofLabel: label)
            ?? classes.pointLabelClass(label: label, name: columns.text.map { String(decoding: field($0), as: UTF8.self) } ?? label)
        image.append(imageIndex(field(columns.image)))
        x.append(Float(px))
        y.append(Float(py))
        entry.append(isYes ? c : ~c)
        return nil
    }

    /// The index of an image id; files list an image's rows together, so the last is checked first.
    mutating func imageIndex(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        if let last = lastImage, last.bytes.elementsEqual(bytes) { return last.index }
        let id = String(decoding: bytes, as: UTF8.self)
        let index: Int32
        if let known = imageIndex[id] {
            index = known
        } else {
            index = Int32(set.imageIDs.count)
            imageIndex[id] = index
            set.imageIDs.append(id)
        }
        lastImage = (Array(bytes), index)
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
