import Glibc
// libFuzzer target: a curation file through Curation(directory:lexicon:), as `pointillist
// vocab` loads Vocab/, against the Princeton WordNet 3.0 lexicon the program uses. The first
// input byte picks the file (mod 8: the seven Curation.fileNames, then the review sheet's
// TSV.read parameters); the rest is its contents, written to a scratch directory. The other
// files are absent except tangible.tsv, which names the project's root. Besides crashes it
// checks that errors name a line of the file and that CRLF line ends and a UTF-8 byte order
// mark read like plain LF text. Built by script/fuzz with Fuzz/Shared/Check.swift.
import Lexicon
import Support
import Vocabulary

let lexicon: Lexicon = {
    do { return try PrincetonLoader.load() } catch { fatalError("WordNet 3.0 (run script/setup): \(error)") }
}()

let scratch: String = {
    let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
    var template = Array("\(base)/pointillist-fuzz-curation-XXXXXX".utf8CString)
    guard let made = mkdtemp(&template) else { fatalError("mkdtemp: \(String(cString: strerror(errno)))") }
    let path = String(cString: made)
    atexit {
        for name in Curation.fileNames + ["review.tsv"] { unlink(scratch + "/" + name) }
        rmdir(scratch)
    }
    return path
}()

let defaultTangible = "rule\tvalue\nroot\tphysical_entity.n.01\n"

func write(_ bytes: some Collection<UInt8>, to name: String) {
    guard let file = fopen(scratch + "/" + name, "wb") else { fatalError("cannot write \(name)") }
    let array = Array(bytes)
    _ = array.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    fclose(file)
}

/// The outcome of loading, in a form to compare: an error's place and reason, or what was read.
func load(_ contents: [UInt8], as name: String) -> String {
    for file in Curation.fileNames { unlink(scratch + "/" + file) }
    if name != "tangible.tsv" { write(Array(defaultTangible.utf8), to: "tangible.tsv") }
    write(contents, to: name)
    let lineCount = contents.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
    if name == "review.tsv" {
        var rows: [String] = []
        do {
            try TSV.read(
                scratch + "/review.tsv", columns: ["decision", "kind", "id", "name", "lemma", "sense"], optional: false,
                minimumColumns: 2, firstRequired: 1
            ) { (row) throws(PointillistError) in
                check(row.fields.count >= 2 && !row[1].isEmpty, "review row without its required columns")
                check(row.line >= 1 && row.line <= lineCount, "row line \(row.line) outside the file")
                rows.append("\(row.line):\(row.fields)")
            }
        } catch {
            checkPlace(error, lineCount: lineCount)
            return "error \(error)"
        }
        return rows.joined(separator: "\n")
    }
    do {
        let c = try Curation(directory: scratch, lexicon: lexicon)
        check(!c.tangibleRoots.isEmpty, "loaded without a tangible root")
        for (from, merge) in c.merges {
            check(from != merge.into, "a sense merges into itself")
            _ = c.mergeTarget(from)  // must end: cycles are rejected
        }
        return "functionWords \(c.functionWords.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })"
            + " blocklist \(c.blocklist.keys.sorted()) aliases \(c.aliases.map { "\($0.key)=\($0.value.synset)" }.sorted())"
            + " senses \(c.senseOverrides.keys.sorted()) merges \(c.merges.keys.sorted()) includes \(c.includes.keys.sorted())"
            + " roots \(c.tangibleRoots.map(\.synset)) denied \(c.deniedLexFiles.count) allowed \(c.allowedLexFiles.count)"
    } catch {
        checkPlace(error, lineCount: lineCount)
        return "error \(error)"
    }
}

func checkPlace(_ error: PointillistError, lineCount: Int) {
    check((error.file ?? "").hasPrefix(scratch + "/"), "error names no file or another file: \(error.file ?? "none")")
    if let line = error.line { check(line >= 1 && line <= lineCount, "error line \(line) outside the file (\(lineCount) lines)") }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCurationFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let choice = Int(data[0] % 8)
    let name = choice < Curation.fileNames.count ? Curation.fileNames[choice] : "review.tsv"
    let contents = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let plain = load(contents, as: name)
    // A file saved with Windows line ends, or by a spreadsheet with a byte order mark, reads the same.
    if !contents.contains(0x0D) && contents.contains(0x0A) {
        var crlf: [UInt8] = []
        for byte in contents {
            if byte == 0x0A { crlf.append(0x0D) }
            crlf.append(byte)
        }
        let other = load(crlf, as: name)
        check(other == plain, "\(name): CRLF reads differently:\n  LF   \(plain)\n  CRLF \(other)")
    }
    if contents.first != 0xEF {
        let other = load([0xEF, 0xBB, 0xBF] + contents, as: name)
        check(other == plain, "\(name): a byte order mark reads differently:\n  plain \(plain)\n  BOM   \(other)")
    }
    return 0
}
