import CSQLite
import Glibc
import Support

/// An open SQLite database (the C API, thinly wrapped).
final class Database {
    let handle: OpaquePointer
    let path: String

    /// Opens (creating if needed) the database at `path`.
    init(path: String, readOnly: Bool = false) throws(PointillistError) {
        var db: OpaquePointer?
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let db { sqlite3_close_v2(db) }
            throw PointillistError(message, doing: "opening database \(path)")
        }
        // SQLite reads the file at the first statement: a file that is something else (the
        // narratives given as --db) is named here, not in whatever statement comes first.
        if sqlite3_exec(db, "SELECT 1 FROM sqlite_master LIMIT 1", nil, nil, nil) == SQLITE_NOTADB {
            sqlite3_close_v2(db)
            throw PointillistError(file: path, reason: "not an SQLite database (--db names a corpus file, which commands create)")
        }
        self.handle = db
        self.path = path
        sqlite3_busy_timeout(db, 5000)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    var lastError: String { String(cString: sqlite3_errmsg(handle)) }

    /// Runs one or more statements that return no rows.
    func execute(_ sql: String) throws(PointillistError) {
        var error: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(handle, sql, nil, nil, &error) == SQLITE_OK else {
            let message = error.map { String(cString: $0) } ?? lastError
            sqlite3_free(error)
            throw PointillistError(message, doing: "executing \(sql.prefix(80))")
        }
    }

    func prepare(_ sql: String) throws(PointillistError) -> Statement {
        try Statement(database: self, sql: sql)
    }

    /// Runs `body` in a transaction: committed if it returns, rolled back if it throws.
    func transaction<T, E: Error>(_ body: () throws(E) -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Flushes the database file to stable storage (after commits made with synchronous = OFF).
    func syncFile() {
        Database.syncFile(at: path)
    }

    /// Flushes the file at `path` to stable storage; usable from any thread.
    static func syncFile(at path: String) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { Int(sqlite3_changes(handle)) }

    /// PRAGMA user_version: the schema version reached by migrations.
    var userVersion: Int {
        get throws(PointillistError) {
            let s = try prepare("PRAGMA user_version")
            return try s.step() ? s.int(0) : 0
        }
    }

    /// The first column of the first row of `sql`, as an integer (0 when there is no row).
    func scalar(_ sql: String, _ arguments: [SQLValue] = []) throws(PointillistError) -> Int64 {
        let s = try prepare(sql)
        try s.bind(arguments)
        return try s.step() ? s.int64(0) : 0
    }
}

/// A value bound to a statement parameter.
enum SQLValue: Sendable, Equatable {
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
    case null
}

/// A prepared statement.
final class Statement {
    let handle: OpaquePointer
    unowned let database: Database
    let sql: String

    init(database: Database, sql: String) throws(PointillistError) {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(database.handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw PointillistError(database.lastError, doing: "preparing \(sql.prefix(80))")
        }
        self.handle = statement
        self.database = database
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Resets the statement and binds `values` to parameters 1, 2, ….
    func bind(_ values: [SQLValue]) throws(PointillistError) {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (i, value) in values.enumerated() {
            try bind(value, at: Int32(i + 1))
        }
    }

    func bind(_ value: SQLValue, at index: Int32) throws(PointillistError) {
        let rc: Int32
        switch value {
        case .integer(let v): rc = sqlite3_bind_int64(handle, index, v)
        case .real(let v): rc = sqlite3_bind_double(handle, index, v)
        case .text(let v): rc = bindText(v, at: index)
        case .blob(let v):
            rc = v.withUnsafeBytes { bindBlob($0, at: index, copied: true) }
        case .null: rc = sqlite3_bind_null(handle, index)
        }
        guard rc == SQLITE_OK else { throw PointillistError(database.lastError, doing: "binding parameter \(index) of \(sql.prefix(80))") }
    }

    /// Binds `text` with its UTF-8 byte length, so a string holding U+0000 is stored whole
    /// (a length of -1 would make SQLite stop at the first NUL).
    private func bindText(_ text: String, at index: Int32) -> Int32 {
        var text = text
        return text.withUTF8 { utf8 in
            // An empty string still needs a non-null pointer to be text, not NULL.
            let start = UnsafeRawPointer(utf8.baseAddress ?? UnsafePointer(bitPattern: 1)!)
            return sqlite3_bind_text(
                handle, index, start.assumingMemoryBound(to: CChar.self), Int32(utf8.count),
                pointillist_sqlite_transient())
        }
    }

    /// Binds `raw` as a blob. `copied`: SQLite keeps its own copy (SQLITE_TRANSIENT);
    /// otherwise it reads `raw` in place (SQLITE_STATIC) until the bindings are cleared.
    private func bindBlob(_ raw: UnsafeRawBufferPointer, at index: Int32, copied: Bool) -> Int32 {
        // A zero-length blob still needs a non-null pointer to be a blob, not NULL.
        sqlite3_bind_blob(
            handle, index, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(raw.count),
            copied ? pointillist_sqlite_transient() : nil)
    }

    /// Executes once; true while a row is available.
    @discardableResult
    func step() throws(PointillistError) -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw PointillistError(database.lastError, doing: "running \(sql.prefix(80))")
        }
    }

    /// `run`, with blobs read by SQLite in place instead of copied first (a statement that
    /// writes several kilobytes of blobs per row, many times). The bindings are cleared
    /// before this returns, so none points at memory that goes away.
    @discardableResult
    func runBorrowingBlobs(_ values: [SQLValue]) throws(PointillistError) -> Int {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        func bindFrom(_ i: Int) throws(PointillistError) -> Int {
            guard i < values.count else {
                while try step() {}
                return database.changes
            }
            guard case .blob(let bytes) = values[i] else {
                try bind(values[i], at: Int32(i + 1))
                return try bindFrom(i + 1)
            }
            let outcome = bytes.withUnsafeBytes { raw in
                guard bindBlob(raw, at: Int32(i + 1), copied: false) == SQLITE_OK else {
                    return Result<Int, PointillistError>.failure(
                        PointillistError(database.lastError, doing: "binding parameter \(i + 1) of \(sql.prefix(80))"))
                }
                return Result { () throws(PointillistError) in try bindFrom(i + 1) }
            }
            return try outcome.get()
        }
        return try bindFrom(0)
    }

    /// Binds, executes to completion and returns the number of changed rows.
    @discardableResult
    func run(_ values: [SQLValue]) throws(PointillistError) -> Int {
        try bind(values)
        while try step() {}
        return database.changes
    }

    /// Number of columns in the result.
    var columnCount: Int32 { sqlite3_column_count(handle) }

    /// The column's value with its SQLite storage class.
    func value(_ column: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER: return .integer(int64(column))
        case SQLITE_FLOAT: return .real(double(column))
        case SQLITE_TEXT: return .text(text(column))
        case SQLITE_BLOB: return .blob(blob(column))
        default: return .null
        }
    }

    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }
    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }
    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func text(_ column: Int32) -> String {
        guard let p = sqlite3_column_text(handle, column) else { return "" }
        return String(decoding: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self)
    }

    /// The column's bytes, valid only until the next step or reset.
    func withBlob<T>(_ column: Int32, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let p = sqlite3_column_blob(handle, column)
        let n = Int(sqlite3_column_bytes(handle, column))
        return try body(UnsafeRawBufferPointer(start: n > 0 ? p : nil, count: n))
    }

    func blob(_ column: Int32) -> [UInt8] { withBlob(column) { Array($0) } }

    /// A stored blob decoded by `decode`; a corrupt one is reported naming the database.
    func unpacked<T>(_ column: Int32, _ decode: (UnsafeRawBufferPointer) throws(CorruptBytes) -> T) throws(PointillistError) -> T {
        let n = Int(sqlite3_column_bytes(handle, column))
        let bytes = UnsafeRawBufferPointer(start: n > 0 ? sqlite3_column_blob(handle, column) : nil, count: n)
        do { return try decode(bytes) } catch { throw PointillistError(error.description, doing: "reading \(database.path)") }
    }

    // MARK: Columns by name

    private var columnIndexes: [String: Int32]?

    /// The index of the result column called `name` (its `AS` name, or the column's own name
    /// for a plain column reference). A query without it is a programming error. Loops over
    /// many rows resolve their columns once, before the first step.
    func column(_ name: String) -> Int32 {
        if columnIndexes == nil {
            columnIndexes = Dictionary(
                (0..<columnCount).map { (String(cString: sqlite3_column_name(handle, $0)), $0) }, uniquingKeysWith: { a, _ in a })
        }
        guard let index = columnIndexes?[name] else { preconditionFailure("no column \(name) in \(sql)") }
        return index
    }

    func int(_ name: String) -> Int { int(column(name)) }
    func int64(_ name: String) -> Int64 { int64(column(name)) }
    func double(_ name: String) -> Double { double(column(name)) }
    func isNull(_ name: String) -> Bool { isNull(column(name)) }
    func text(_ name: String) -> String { text(column(name)) }
    func blob(_ name: String) -> [UInt8] { blob(column(name)) }
    func withBlob<T>(_ name: String, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T { try withBlob(column(name), body) }
    func unpacked<T>(_ name: String, _ decode: (UnsafeRawBufferPointer) throws(CorruptBytes) -> T) throws(PointillistError) -> T {
        try unpacked(column(name), decode)
    }
}
