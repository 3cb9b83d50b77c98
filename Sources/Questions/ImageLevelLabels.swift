import Narratives
import Support

/// Image-level labels in Open Images' layout: CSV files (plain or gzip) with a header naming
/// `ImageID`, `LabelName` and `Confidence` (`Source` and other columns are read past).
/// `Confidence` 1 is verified present, 0 verified absent; a fraction (machine-generated
/// labels) is not a verification and is counted as unverified. A row that cannot be read is
/// rejected with its file, line and field, and the rest is read.
public struct ImageLevelLabels: Sendable {
    /// Per image, the MIDs verified present and verified absent.
    public var present: [String: Set<String>] = [:]
    public var absent: [String: Set<String>] = [:]
    /// Data rows read (blank lines apart), and what became of them.
    public var rows = 0
    public var presentRows = 0
    public var absentRows = 0
    public var unverifiedRows = 0
    public var rejected: [PointillistError] = []
    /// A MID both verified present and verified absent for one image (the last row wins).
    public var contradictions = 0

    public init() {}

    /// The labels as dictionary class ids per image: a MID stands for every class that carries
    /// it (`classesOfMID`); `unmapped` counts the labels of MIDs no class carries.
    public func classSets(classesOfMID: [String: [Int]]) -> (sets: [String: ImageLabelSet], unmapped: Int) {
        var sets: [String: ImageLabelSet] = [:]
        var unmapped = 0
        for image in Set(present.keys).union(absent.keys) {
            let (set, missing) = classSet(of: image, classesOfMID: classesOfMID)
            sets[image] = set
            unmapped += missing
        }
        return (sets, unmapped)
    }

    /// One image's labels as class ids, and how many of its labels no class carries.
    public func classSet(of image: String, classesOfMID: [String: [Int]]) -> (set: ImageLabelSet, unmapped: Int) {
        var unmapped = 0
        func ids(_ mids: Set<String>?) -> Set<Int> {
            var found: Set<Int> = []
            for mid in mids ?? [] {
                if let classes = classesOfMID[mid] { found.formUnion(classes) } else { unmapped += 1 }
            }
            return found
        }
        let set = ImageLabelSet(present: ids(present[image]), absent: ids(absent[image]))
        return (set, unmapped)
    }

    /// Reads `paths` in order into one set of labels.
    public static func read(_ paths: [String]) throws(PointillistError) -> ImageLevelLabels {
        var labels = ImageLevelLabels()
        for path in paths { try labels.read(path) }
        return labels
    }

    mutating func read(_ path: String) throws(PointillistError) {
        let reader = try LineReader(try SourceFile(path: path))
        var columns: (image: Int, label: Int, confidence: Int)?
        while let batch = reader.next() {
            if let overlong = batch.overlong {
                rows += 1
                rejected.append(PointillistError(file: path, line: batch.firstLineNumber, reason: overlong.reason))
                continue
            }
            for (i, range) in batch.lines.enumerated() {
                let line = batch.firstLineNumber + i
                let text = batch.bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
                guard let fields = Self.fields(text) else {
                    let error = PointillistError(file: path, line: line, reason: "unterminated quoted field")
                    guard columns != nil else { throw error }
                    rows += 1
                    rejected.append(error)
                    continue
                }
                if fields.allSatisfy({ $0.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" } }) { continue }
                guard let at = columns else {
                    columns = try Self.header(fields, path: path, line: line)
                    continue
                }
                rows += 1
                if let error = add(fields, columns: at, path: path, line: line) { rejected.append(error) }
            }
        }
        if let damage = reader.damage { throw PointillistError(file: path, reason: "\(damage)") }
        if columns == nil { throw PointillistError(file: path, reason: "empty: expected a header ImageID,Source,LabelName,Confidence") }
    }

    /// A line's fields: split at commas, or read as CSV when it quotes; nil when a quote is
    /// left open.
    static func fields(_ line: String) -> [String]? {
        var text = Substring(line)
        if text.last == "\r" { text = text.dropLast() }
        guard text.contains("\"") else { return text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let read = CSV.records(String(text))
        guard read.failure == nil else { return nil }
        return read.records.first?.fields ?? []
    }

    static func header(_ fields: [String], path: String, line: Int) throws(PointillistError) -> (image: Int, label: Int, confidence: Int) {
        let names = fields.map { $0.trimming(" \u{FEFF}") }
        func column(_ name: String) throws(PointillistError) -> Int {
            guard let i = names.firstIndex(of: name) else {
                throw PointillistError(
                    file: path, line: line, field: name, reason: "the header names no \(name) column (expected ImageID,Source,LabelName,Confidence)")
            }
            return i
        }
        return (try column("ImageID"), try column("LabelName"), try column("Confidence"))
    }

    /// Adds one data row; the error when it is rejected.
    mutating func add(_ fields: [String], columns: (image: Int, label: Int, confidence: Int), path: String, line: Int) -> PointillistError? {
        func field(_ i: Int) -> String? { i < fields.count ? fields[i].trimming(" ") : nil }
        guard let image = field(columns.image), !image.isEmpty else {
            return PointillistError(file: path, line: line, field: "ImageID", reason: "empty")
        }
        guard let mid = field(columns.label), mid.hasPrefix("/m/") || mid.hasPrefix("/g/"), mid.count > 3 else {
            return PointillistError(file: path, line: line, field: "LabelName", reason: "'\(field(columns.label) ?? "")' is not a MID (/m/… or /g/…)")
        }
        guard let text = field(columns.confidence), let confidence = Double(text), confidence >= 0, confidence <= 1 else {
            return PointillistError(
                file: path, line: line, field: "Confidence", reason: "'\(field(columns.confidence) ?? "")' is not a number from 0 to 1")
        }
        switch confidence {
        case 1:
            presentRows += 1
            if absent[image]?.remove(mid) != nil { contradictions += 1 }
            present[image, default: []].insert(mid)
        case 0:
            absentRows += 1
            if present[image]?.remove(mid) != nil { contradictions += 1 }
            absent[image, default: []].insert(mid)
        default:
            unverifiedRows += 1
        }
        return nil
    }
}

extension String {
    fileprivate func trimming(_ set: String) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s = s.dropFirst() }
        while let c = s.last, set.contains(c) { s = s.dropLast() }
        return String(s)
    }
}
