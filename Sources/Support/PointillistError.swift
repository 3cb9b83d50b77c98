/// The one shape of the project's errors: what went wrong (`reason`), where (a file, and in it
/// a line and a field, when known) and while doing what. Printed as
/// `doing: file:line: field F: reason`, each part present only when known, so every message
/// names its place the same way.
///
/// Every module throws this type. The exceptions are positions inside the hot decoders, each
/// turned into this shape (or a rejected line) where the file and line are known: `JSONError`
/// (a byte offset in a line), `CorruptBytes` (a stored blob), `InputDamage` (an offset in a
/// gzip stream), `CSV.Failure` (a line of a text); and `IngestJob.SettingsConflict`, which
/// carries both segment settings for the caller.
public struct PointillistError: Error, CustomStringConvertible, Sendable, Equatable {
    public var reason: String
    public var file: String?
    public var line: Int?
    public var field: String?
    public var doing: String?

    /// A failure with no file to name (a job that cannot start, a database operation).
    public init(_ reason: String, doing: String? = nil) {
        self.reason = reason
        self.doing = doing
    }

    /// A failure in a file, at a line and field when known.
    public init(file: String, line: Int? = nil, field: String? = nil, reason: String) {
        self.file = file
        self.line = line
        self.field = field
        self.reason = reason
    }

    public var description: String {
        var parts: [String] = []
        if let doing { parts.append(doing) }
        if let file { parts.append(line.map { "\(file):\($0)" } ?? file) }
        if let field { parts.append("field \(field)") }
        parts.append(reason)
        return parts.joined(separator: ": ")
    }
}
