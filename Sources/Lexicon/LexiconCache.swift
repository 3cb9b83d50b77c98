import Glibc
import Support

/// A compiled copy of a loaded lexicon on disk, so that commands after the first skip parsing
/// WordNet (about a second for the WordNet 3.0 database, more for the whole Open English
/// WordNet in WN-LMF).
///
/// A cache file belongs to one list of source files; it records each file's path, size,
/// modification time and inode, and the same for the running executable, so that a changed
/// source or a rebuilt program (whose loaders may read the sources differently) makes it
/// stale. A stale, unreadable or corrupt cache is never an error: the sources are parsed and
/// the cache rewritten (atomically; a cache that cannot be written is skipped).
public struct LexiconCache: Sendable {
    /// The folder cache files go to.
    public var directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// `$POINTILLIST_CACHE`, else `$XDG_CACHE_HOME/pointillist`, else `~/.cache/pointillist`;
    /// nil (no cache) when `POINTILLIST_CACHE` is `off` or no home folder is known.
    public static func standard(environment: [String: String]) -> LexiconCache? {
        if let chosen = environment["POINTILLIST_CACHE"], !chosen.isEmpty {
            return chosen == "off" ? nil : LexiconCache(directory: chosen)
        }
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return LexiconCache(directory: xdg + "/pointillist") }
        guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
        return LexiconCache(directory: home + "/.cache/pointillist")
    }

    /// The lexicon of `sources`: from the cache when it is current, otherwise from `parse`,
    /// whose result is then cached.
    public func lexicon(sources: [String], parse: () throws(PointillistError) -> Lexicon) throws(PointillistError) -> Lexicon {
        let stamp = LexiconCache.stamp(of: sources)
        let path = file(for: sources)
        if let stamp, access(path, R_OK) == 0, let bytes = try? readFile(path), let lexicon = CompiledLexicon.decode(bytes, stamp: stamp) {
            return lexicon
        }
        let lexicon = try parse()
        if let stamp { store(CompiledLexicon.encode(lexicon, stamp: stamp), at: path) }
        return lexicon
    }

    /// One file per list of sources: a rebuilt cache replaces the stale one.
    func file(for sources: [String]) -> String {
        directory + "/lexicon-" + StableHash.hex16(StableHash.fnv1a(sources.joined(separator: "\n"))) + ".bin"
    }

    func store(_ bytes: [UInt8], at path: String) {
        guard LexiconCache.makeDirectories(directory) else { return }
        try? FileSystem.writeAtomically(to: path, durable: false) { try $0.write(bytes) }
    }

    /// Path, size, modification time and inode of each source and of the executable (a
    /// missing source, such as an optional file, as size −1); nil when the executable cannot
    /// be examined (no cache then).
    static func stamp(of sources: [String]) -> [UInt8]? {
        var writer = ByteWriter()
        for path in sources + ["/proc/self/exe"] {
            var info = stat()
            writer.string(path)
            guard stat(path, &info) == 0 else {
                if path == "/proc/self/exe" { return nil }
                writer.int(-1)
                continue
            }
            for value in [Int64(info.st_size), Int64(info.st_mtim.tv_sec), Int64(info.st_mtim.tv_nsec), Int64(bitPattern: UInt64(info.st_ino))] {
                writer.int(value)
            }
        }
        return writer.bytes
    }

    static func makeDirectories(_ path: String) -> Bool {
        var parts = ""
        for part in path.split(separator: "/") {
            parts += "/" + part
            if mkdir(parts, 0o755) != 0, errno != EEXIST { return false }
        }
        return true
    }
}

/// The cache file's layout: the magic `PLEX`, a format version, the stamp, then the lexicon
/// (source, synsets, senses, exceptions, verb tag counts, adjectives), with little-endian integers and length-prefixed
/// UTF-8 strings.
enum CompiledLexicon {
    static let magic: [UInt8] = Array("PLEX".utf8)
    static let version: Int64 = 2

    static func encode(_ lexicon: Lexicon, stamp: [UInt8]) -> [UInt8] {
        var w = ByteWriter()
        w.bytes += magic
        w.int(version)
        w.int(Int64(stamp.count))
        w.bytes += stamp
        w.string(lexicon.source)
        w.int(Int64(lexicon.unresolvedRelations))
        w.int(Int64(lexicon.synsets.count))
        for s in lexicon.synsets {
            w.string(s.id)
            w.int(Int64(s.lexFile.number))
            w.strings(s.lemmas)
            w.indices(s.hypernyms)
            w.indices(s.instanceOf)
            w.string(s.gloss)
            w.string(s.ili ?? "")
        }
        w.int(Int64(lexicon.senses.count))
        for key in lexicon.senses.keys.sorted() {
            w.string(key)
            let senses = lexicon.senses[key]!
            w.int(Int64(senses.count))
            for sense in senses {
                w.int(Int64(sense.synset))
                w.int(Int64(sense.number))
                w.int(Int64(sense.count))
            }
        }
        w.int(Int64(lexicon.exceptions.count))
        for key in lexicon.exceptions.keys.sorted() {
            w.string(key)
            w.strings(lexicon.exceptions[key]!)
        }
        w.int(Int64(lexicon.verbTagCounts.count))
        for key in lexicon.verbTagCounts.keys.sorted() {
            w.string(key)
            w.int(Int64(lexicon.verbTagCounts[key]!))
        }
        w.strings(lexicon.adjectives.sorted())
        return w.bytes
    }

    /// The lexicon, or nil when the bytes are not a cache file of this version for `stamp`,
    /// or are cut short or inconsistent.
    static func decode(_ bytes: [UInt8], stamp: [UInt8]) -> Lexicon? {
        bytes.withUnsafeBytes { raw in
            var r = ByteReader(raw, what: "lexicon cache")
            return try? decode(&r, stamp: stamp)
        }
    }

    private struct Inconsistent: Error {}

    private static func decode(_ r: inout ByteReader, stamp: [UInt8]) throws -> Lexicon? {
        func int() throws -> Int64 { Int64(bitPattern: try r.u64()) }
        /// A count that fits in the rest of the file (each item takes at least one byte).
        func count() throws -> Int {
            let n = try int()
            guard n >= 0, n <= Int64(r.remaining) else { throw Inconsistent() }
            return Int(n)
        }
        func string() throws -> String { try r.utf8(count: count()) }
        func strings() throws -> [String] { try (0..<count()).map { _ in try string() } }
        func indices(below limit: Int) throws -> [Int32] {
            try (0..<count()).map { _ in
                let i = try int()
                guard i >= 0, i < Int64(limit) else { throw Inconsistent() }
                return Int32(i)
            }
        }
        guard Array(try r.raw(count: magic.count)) == magic, try int() == version, Array(try r.raw(count: count())) == stamp else {
            return nil
        }
        let source = try string()
        let unresolved = try int()
        let synsetCount = try count()
        var synsets: [Synset] = []
        synsets.reserveCapacity(synsetCount)
        for _ in 0..<synsetCount {
            let id = try string()
            let lexFile = try int()
            guard (0...255).contains(lexFile) else { return nil }
            let lemmas = try strings()
            let hypernyms = try indices(below: synsetCount), instanceOf = try indices(below: synsetCount)
            let gloss = try string(), ili = try string()
            synsets.append(
                Synset(
                    id: id, lexFile: LexFile(number: UInt8(lexFile)), lemmas: lemmas, hypernyms: hypernyms, instanceOf: instanceOf,
                    gloss: gloss, ili: ili.isEmpty ? nil : ili))
        }
        let senseCount = try count()
        var senses: [String: [Sense]] = [:]
        senses.reserveCapacity(senseCount)
        for _ in 0..<senseCount {
            let key = try string()
            senses[key] = try (0..<count()).map { _ in
                let synset = try int()
                guard (0..<Int64(synsetCount)).contains(synset) else { throw Inconsistent() }
                let number = try int(), tags = try int()
                return Sense(synset: Int32(synset), number: Int(number), count: Int(tags))
            }
        }
        let exceptionCount = try count()
        var exceptions: [String: [String]] = [:]
        exceptions.reserveCapacity(exceptionCount)
        for _ in 0..<exceptionCount {
            let key = try string()
            exceptions[key] = try strings()
        }
        var verbTagCounts: [String: Int] = [:]
        for _ in 0..<(try count()) {
            let key = try string()
            verbTagCounts[key] = Int(try int())
        }
        let adjectives = Set(try strings())
        guard r.remaining == 0 else { return nil }
        return Lexicon(
            source: source, synsets: synsets, senses: senses, exceptions: exceptions, unresolvedRelations: Int(unresolved),
            verbTagCounts: verbTagCounts, adjectives: adjectives)
    }
}

// The loaders through the cache (kept here so the loaders build without it).

extension PrincetonLoader {
    /// `load(directory:)` through `cache` when there is one.
    public static func load(directory: String = defaultDirectory, cache: LexiconCache?) throws(PointillistError) -> Lexicon {
        guard let cache else { return try load(directory: directory) }
        return try cache.lexicon(sources: sources(directory: directory)) { () throws(PointillistError) in try load(directory: directory) }
    }
}

extension LMFLoader {
    /// `load(files:tagCounts:)` through `cache` when there is one.
    public static func load(files: [String], tagCounts: String? = nil, cache: LexiconCache?) throws(PointillistError) -> Lexicon {
        guard let cache else { return try load(files: files, tagCounts: tagCounts) }
        // A marker before the counts file: "--lmf a --lmf c" is another lexicon than "a"
        // weighed by counts "c" (the marker is no file; the counts file is stamped as one).
        return try cache.lexicon(sources: files + (tagCounts.map { ["--tag-counts", $0] } ?? [])) { () throws(PointillistError) in
            try load(files: files, tagCounts: tagCounts)
        }
    }
}
