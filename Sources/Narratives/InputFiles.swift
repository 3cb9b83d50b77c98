import Glibc
import Support

extension FileSystem {
    /// File names taken from a directory: JSONL, optionally gzip-compressed.
    public static let inputSuffixes = [".jsonl", ".jsonl.gz", ".json", ".json.gz", ".ndjson", ".ndjson.gz"]

    /// Expands command-line inputs into the files to read, in a stable order without repeats.
    ///
    /// A directory contributes its JSONL files (recursively, by name order); a pattern with
    /// `*`, `?` or `[` is expanded like the shell does, and must match something; anything else
    /// must be an existing file.
    public static func expandInputs(_ inputs: [String]) throws(PointillistError) -> [SourceFile] {
        var paths: [String] = []
        for input in inputs {
            if input.contains(where: { "*?[".contains($0) }), !exists(input) {
                let matches = glob(input)
                guard !matches.isEmpty else { throw PointillistError(file: input, reason: "pattern matches no file") }
                for match in matches {
                    if isDirectory(match) { paths += filesUnder(match) } else { paths.append(match) }
                }
            } else if isDirectory(input) {
                let found = filesUnder(input)
                guard !found.isEmpty else {
                    throw PointillistError(file: input, reason: "directory holds no \(inputSuffixes.joined(separator: ", ")) file")
                }
                paths += found
            } else {
                guard exists(input) else { throw PointillistError(file: input, reason: "no such file") }
                paths.append(input)
            }
        }
        var seen = Set<String>()
        var result: [SourceFile] = []
        for path in paths {
            let file = try SourceFile(path: path)
            if seen.insert(file.path).inserted { result.append(file) }
        }
        return result
    }

    /// JSONL files under `directory`, recursively, sorted by path.
    static func filesUnder(_ directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var found: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name.hasPrefix(".") { continue }
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            if isDirectory(path) {
                found += filesUnder(path)
            } else if inputSuffixes.contains(where: { name.hasSuffix($0) }) {
                found.append(path)
            }
        }
        return found.sorted()
    }
}
