import Foundation
import Support
import Testing

@testable import Lexicon

/// The compiled lexicon cache: the same lexicon back, and never a stale one.
@Suite struct LexiconCacheTests {
    func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "lexicon-cache-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Loads through `cache`, counting how often the sources were parsed.
    func load(_ files: [String], _ cache: LexiconCache, parses: inout Int) throws -> Lexicon {
        var count = 0
        let lexicon = try cache.lexicon(sources: files) { () throws(PointillistError) in
            count += 1
            return try LMFLoader.load(files: files)
        }
        parses += count
        return lexicon
    }

    @Test func theWholeWordNetDatabaseComesBackFromTheCacheUnchanged() throws {
        let cache = LexiconCache(directory: temporaryDirectory() + "/nested/cache")
        let parsed = try PrincetonLoader.load(directory: PrincetonLoader.defaultDirectory, cache: cache)
        let file = cache.file(for: PrincetonLoader.sources())
        #expect(FileManager.default.fileExists(atPath: file))
        var parsedAgain = false
        let cached = try cache.lexicon(sources: PrincetonLoader.sources()) { () throws(PointillistError) in
            parsedAgain = true
            return try PrincetonLoader.load()
        }
        #expect(!parsedAgain)
        #expect(cached == parsed)
        #expect(cached == Lexicons.princeton)
        #expect(cached.synsets.count == 82_115 && cached.longestLemma == Lexicons.princeton.longestLemma)
        #expect(cached.baseForms(of: "geese") == ["goose"])
        // The verb tag counts travel too (cntlist.rev's %2: keys, summed per lemma).
        #expect(cached.verbTagCount("fall") == 116 && cached.nounTagCount("fall") == 28 && cached.verbTagCount("tree") == 0)
        #expect(cached.verbTagCount("give up") > 0 && cached.hasVerbTagCounts)
        #expect(cached.isAdjective("dry") && cached.isAdjective("female") && !cached.isAdjective("man"))
    }

    @Test func aChangedSourceOrACorruptCacheIsParsedAgain() throws {
        let dir = temporaryDirectory()
        let files = try Lexicons.oewnFiles.map { source in
            let copy = dir + "/" + URL(fileURLWithPath: source).lastPathComponent
            try FileManager.default.copyItem(atPath: source, toPath: copy)
            return copy
        }
        let cache = LexiconCache(directory: dir + "/cache")
        var parses = 0
        let first = try load(files, cache, parses: &parses)
        #expect(try load(files, cache, parses: &parses) == first)
        #expect(parses == 1)
        #expect(first == Lexicons.oewn.withSource(first.source))

        // A source rewritten (same content, new modification time and inode) makes the cache stale.
        let text = try String(contentsOfFile: files[1], encoding: .utf8)
        try FileManager.default.removeItem(atPath: files[1])
        try text.write(toFile: files[1], atomically: false, encoding: .utf8)
        #expect(try load(files, cache, parses: &parses) == first)
        #expect(parses == 2)
        #expect(try load(files, cache, parses: &parses) == first)
        #expect(parses == 2)

        // A cache file cut short, or of another layout, is not read; it is rebuilt.
        let path = cache.file(for: files)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        for damaged in [bytes.prefix(bytes.count / 2), Data("PLEX".utf8) + bytes.dropFirst(4).prefix(100), Data()] {
            try damaged.write(to: URL(fileURLWithPath: path))
            #expect(try load(files, cache, parses: &parses) == first)
        }
        #expect(parses == 5)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
    }

    @Test func aCacheThatCannotBeWrittenIsSkipped() throws {
        let blocker = temporaryDirectory() + "/file"
        #expect(FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8)))
        var parses = 0
        let cache = LexiconCache(directory: blocker + "/cache")
        _ = try load(Lexicons.oewnFiles, cache, parses: &parses)
        _ = try load(Lexicons.oewnFiles, cache, parses: &parses)
        #expect(parses == 2)
    }

    @Test func theCacheFolderFollowsTheEnvironment() {
        #expect(LexiconCache.standard(environment: ["HOME": "/home/a"])?.directory == "/home/a/.cache/pointillist")
        #expect(LexiconCache.standard(environment: ["HOME": "/home/a", "XDG_CACHE_HOME": "/c"])?.directory == "/c/pointillist")
        #expect(LexiconCache.standard(environment: ["HOME": "/home/a", "POINTILLIST_CACHE": "/p"])?.directory == "/p")
        #expect(LexiconCache.standard(environment: ["HOME": "/home/a", "POINTILLIST_CACHE": "off"]) == nil)
        #expect(LexiconCache.standard(environment: [:]) == nil)
    }
}

extension Lexicon {
    /// The same lexicon under another source description (copies of the files live elsewhere).
    func withSource(_ source: String) -> Lexicon {
        Lexicon(
            source: source, synsets: synsets, senses: senses, exceptions: exceptions, unresolvedRelations: unresolvedRelations,
            verbTagCounts: verbTagCounts, adjectives: adjectives)
    }
}
