import Foundation
import Store
import Support

/// The files a job writes beside the corpus when not told where.
public enum DefaultPaths {
    /// `corpus.sqlite` with suffix `.embedding` → `/abs/path/corpus.embedding` (the database's
    /// path made absolute, its extension replaced).
    public static func besideDatabase(_ database: String, suffix: String) -> String {
        URL(fileURLWithPath: database).deletingPathExtension().path + suffix
    }

    /// The embedding model's default place.
    public static func model(_ database: String) -> String { besideDatabase(database, suffix: ".embedding") }
}

extension Corpus {
    /// The corpus at `path`, which must exist: opening a missing path would create an empty
    /// one. `advice` follows the error ("no corpus at X: advice").
    static func existing(_ path: String, advice: String = "run `pointillist ingest` first, or pass --db") throws -> Corpus {
        guard FileManager.default.fileExists(atPath: path) else { throw PointillistError("no corpus at \(path): \(advice)") }
        return try Corpus(path: path)
    }
}
