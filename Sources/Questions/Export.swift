import Support

/// One point label in the Open Images V7 point-label layout.
public struct ExportRow: Sendable, Equatable, Hashable {
    public var imageID: String
    /// Normalised position in [0, 1), origin top-left.
    public var x: Double
    public var y: Double
    /// The class's Open Images MID ("/m/01g317") when the dictionary maps it, else the
    /// dictionary's class id as decimal text.
    public var label: String
    /// "yes", "no" or "unsure" (`PointLabel.estimatedYesNo`).
    public var estimatedYesNo: String
    /// Where the candidate class came from (`CandidateSource.exportName`): "ln" for a Localized
    /// Narratives mention, "label" for an image-level label, "model" for a model candidate.
    public var source: String
    public var yesVotes: Int
    public var noVotes: Int
    public var unsureVotes: Int
    /// The class's display name.
    public var textLabel: String

    public init(
        imageID: String, x: Double, y: Double, label: String, estimatedYesNo: String, source: String,
        yesVotes: Int, noVotes: Int, unsureVotes: Int, textLabel: String
    ) {
        self.imageID = imageID
        self.x = x
        self.y = y
        self.label = label
        self.estimatedYesNo = estimatedYesNo
        self.source = source
        self.yesVotes = yesVotes
        self.noVotes = noVotes
        self.unsureVotes = unsureVotes
        self.textLabel = textLabel
    }

    /// The row for an aggregated question; `mid` nil or empty uses the class id.
    public init(question: Question, label: PointLabel, votes: Votes, mid: String?, className: String) {
        let mapped = mid.flatMap { $0.isEmpty ? nil : $0 }
        self.init(
            imageID: question.imageID, x: question.x, y: question.y, label: mapped ?? String(question.classID),
            estimatedYesNo: label.estimatedYesNo, source: question.source.exportName,
            yesVotes: votes.yes, noVotes: votes.no, unsureVotes: votes.unsure, textLabel: className)
    }
}

/// Writes and reads point labels as the Open Images V7 point-label CSV.
///
/// Columns as in `header`; `\n` line ends as in the Open Images files; fields quoted as in
/// RFC 4180 when needed; X and Y as the shortest decimal that reads back to the same
/// `Double`, so `parse(csv(rows)) == rows` exactly.
public enum PointLabelExport {
    public static let header = "ImageId,X,Y,Label,EstimatedYesNo,Source,YesVotes,NoVotes,UnsureVotes,TextLabel"
    static let columns = header.split(separator: ",").map(String.init)
    static let answers: Set<String> = ["yes", "no", "unsure"]

    /// The rows under the header, in the order given.
    public static func csv(_ rows: [ExportRow]) -> String {
        var out = header + "\n"
        for row in rows {
            out += CSV.line(
                [
                    row.imageID, BatchFile.number(row.x), BatchFile.number(row.y), row.label, row.estimatedYesNo, row.source,
                    String(row.yesVotes), String(row.noVotes), String(row.unsureVotes), row.textLabel,
                ], ending: "\n")
        }
        return out
    }

    /// The labels of `rows` with their names, one line each, sorted by label, without a
    /// header: the layout of Open Images' `class-descriptions-boxable.csv`, which FiftyOne's
    /// Open Images importer reads as `metadata/classes.csv` to name every Label it meets.
    public static func classDescriptions(_ rows: [ExportRow]) -> String {
        var names: [String: String] = [:]
        for row in rows where names[row.label] == nil { names[row.label] = row.textLabel }
        return names.keys.sorted().map { CSV.line([$0, names[$0]!], ending: "\n") }.joined()
    }

    /// Reads a file written by `csv` (or by Open Images): the header must be exactly
    /// `header`; blank lines are skipped; X and Y must be finite numbers, the vote counts
    /// integers ≥ 0, EstimatedYesNo one of yes/no/unsure. The first problem is thrown, naming
    /// `file`, the line and the column.
    public static func parse(_ text: String, file: String = "<point labels>") throws(PointillistError) -> [ExportRow] {
        let (records, failure) = CSV.records(text)
        if let failure {
            throw PointillistError(file: file, line: failure.line, field: nil, reason: failure.reason)
        }
        var rows: [ExportRow] = []
        var sawHeader = false
        for record in records where !record.isBlank {
            guard sawHeader else {
                guard record.fields == columns else {
                    throw PointillistError(file: file, line: record.line, field: nil, reason: "the header is not \(header)")
                }
                sawHeader = true
                continue
            }
            guard record.fields.count == columns.count else {
                throw PointillistError(
                    file: file, line: record.line, field: record.fields.count < columns.count ? columns[record.fields.count] : nil,
                    reason: "\(record.fields.count) fields where the header has \(columns.count)")
            }
            let f = record.fields
            func coordinate(_ index: Int) throws(PointillistError) -> Double {
                guard let value = Double(f[index]), value.isFinite else {
                    throw PointillistError(file: file, line: record.line, field: columns[index], reason: "\"\(f[index])\" is not a finite number")
                }
                return value
            }
            func count(_ index: Int) throws(PointillistError) -> Int {
                guard let value = Int(f[index]), value >= 0 else {
                    throw PointillistError(file: file, line: record.line, field: columns[index], reason: "\"\(f[index])\" is not a count")
                }
                return value
            }
            guard answers.contains(f[4]) else {
                throw PointillistError(file: file, line: record.line, field: columns[4], reason: "\"\(f[4])\" is not yes, no or unsure")
            }
            rows.append(
                ExportRow(
                    imageID: f[0], x: try coordinate(1), y: try coordinate(2), label: f[3], estimatedYesNo: f[4], source: f[5],
                    yesVotes: try count(6), noVotes: try count(7), unsureVotes: try count(8), textLabel: f[9]))
        }
        guard sawHeader else {
            throw PointillistError(file: file, line: 1, field: nil, reason: "no header row")
        }
        return rows
    }
}
