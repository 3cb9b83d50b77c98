import Narratives
import Support
import Vocabulary

/// Writes rejected lines where a person can fix and re-ingest them.
///
/// `path` receives the original bytes of each rejected line, one per line, so it can be
/// edited and fed back to `ingest`. `path` + `.tsv` lists, in the same order, the file,
/// line, column, field and reason of each. Both are replaced atomically.
public enum RejectsFile {
    public static func write(_ rejects: [RejectedLine], to path: String) throws(PointillistError) {
        var raw: [UInt8] = []
        var table = Array("file\tline\tcolumn\tfield\treason\n".utf8)
        for r in rejects {
            raw += r.raw
            raw.append(0x0A)
            let fields = [r.path, "\(r.line)", r.column.map(String.init) ?? "", r.field ?? "", r.reason]
            table += Array(fields.map(TSV.clean).joined(separator: "\t").utf8)
            table.append(0x0A)
        }
        for (bytes, file) in [(raw, path), (table, path + ".tsv")] {
            do {
                try FileSystem.writeAtomically(to: file) { try $0.write(bytes) }
            } catch let error as PointillistError {
                throw error
            } catch {
                throw PointillistError("\(error)", doing: "writing \(file)")
            }
        }
    }
}
