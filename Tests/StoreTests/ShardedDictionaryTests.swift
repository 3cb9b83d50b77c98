import Foundation
import Narratives
import Pipeline
import Support
import Testing
import Vocabulary

@testable import Store

/// A dictionary built over shards (`vocab count` per shard, `vocab build --counts` on each)
/// is the dictionary one build over the whole corpus gives, and the shards' mentions are its.
@Suite(.serialized) struct ShardedDictionaryTests {
    /// Generated narratives (several annotators for some images); the caption of the first image
    /// (whose mentions are examples, the smallest image ids being kept) holds a tab, a
    /// backslash and a line break, which the counts file must carry whole.
    static func lines() -> [String] {
        var lines = Fixture.lines(240)
        var rng = SplitMix64(seed: 4)
        for index in stride(from: 0, to: 240, by: 5) { lines.append(Fixture.line(index: index, annotator: 9, rng: &rng)) }
        func image(_ line: String) -> Substring { line.split(separator: "\"image_id\": \"")[1].prefix(16) }
        let first = lines.indices.min { image(lines[$0]) < image(lines[$1]) }!
        lines[first] = lines[first].replacingOccurrences(of: #""caption": ""#, with: #""caption": "A \\ dog\tand\na dog. "#)
        return lines
    }

    func ingest(_ lines: [String], as name: String, in dir: URL) throws -> Corpus {
        let input = dir.appendingPathComponent("\(name).jsonl")
        try Fixture.write(lines, to: input)
        let corpus = try Corpus(path: dir.appendingPathComponent("\(name).sqlite").path)
        _ = try Ingester(corpus: corpus).run([try SourceFile(path: input.path)])
        return corpus
    }

    func build() -> VocabularyBuild {
        var b = VocabularyBuild(
            extractor: RealVocabulary.extractor, options: DictionaryOptions(minimumMentions: 5, trainClasses: 5), openImages: nil)
        b.batchSize = 29
        return b
    }

    /// Each mention with the narrative it belongs to, by key instead of row id.
    func mentions(_ corpus: Corpus) throws -> [String] {
        let rows = try corpus.database.prepare(
            """
            SELECT n.image_id, n.annotator_id, m.class_id, m.start, m.length, m.first_word, m.word_count, m.surface, m.lemma,
                   m.start_time, m.end_time, m.point_count, m.interpolated, hex(m.points)
            FROM mentions m JOIN narratives n ON n.id = m.narrative_id
            """)
        var all: [String] = []
        while try rows.step() { all.append((0..<rows.columnCount).map { "\(rows.value($0))" }.joined(separator: "|")) }
        return all.sorted()
    }

    @Test func shardsCountedAndMergedBuildTheWholeCorpusDictionary() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let lines = Self.lines()
        let whole = try ingest(lines, as: "whole", in: dir)
        let lexicon = RealVocabulary.extractor.lexicon
        let wholeCounts = DictionaryCountsFile.text(of: try build().count(corpus: whole), lexicon: lexicon)
        #expect(wholeCounts.contains(#"A \\ dog\tand\na dog. "#))
        let (dictionary, _) = try build().run(corpus: whole, previousIDs: [:])
        let wholeTSV = dir.appendingPathComponent("whole.tsv").path
        try DictionaryFile.write(dictionary.classes, to: wholeTSV)

        // Three shards by image, each counted; the counts files, read back and merged in any
        // order, are the whole corpus's counts.
        let sharding = Sharding(count: 3)
        var shards: [Corpus] = []
        var files: [String] = []
        for k in 0..<3 {
            let part = lines.filter { line in Array(line.utf8).withUnsafeBufferPointer { sharding.shard(ofLine: $0) } == k }
            #expect(!part.isEmpty)
            let corpus = try ingest(part, as: "shard-\(k)", in: dir)
            shards.append(corpus)
            let path = dir.appendingPathComponent("shard-\(k).counts").path
            try DictionaryCountsFile.text(of: try build().count(corpus: corpus), lexicon: lexicon).write(
                toFile: path, atomically: true, encoding: .utf8)
            files.append(path)
        }
        for order in [[0, 1, 2], [2, 0, 1]] {
            var merged = DictionaryTally()
            for k in order { merged.merge(try DictionaryCountsFile.read(files[k], lexicon: lexicon)) }
            #expect(DictionaryCountsFile.text(of: merged, lexicon: lexicon) == wholeCounts)
        }

        // Each shard built from all the counts: the same dictionary file, byte for byte, and
        // together the whole corpus's mentions.
        var shardMentions: [String] = []
        for (k, corpus) in shards.enumerated() {
            var job = VocabularyJob.Options(database: corpus.database.path)
            job.dictionary = dir.appendingPathComponent("shard-\(k).tsv").path
            job.settings = build().options
            job.counts = files
            let report = try VocabularyJob(options: job, extractor: RealVocabulary.extractor, openImages: nil).run()
            #expect(try Data(contentsOf: URL(fileURLWithPath: report.path)) == Data(contentsOf: URL(fileURLWithPath: wholeTSV)))
            shardMentions += try mentions(try Corpus(path: corpus.database.path))
        }
        #expect(shardMentions.sorted() == (try mentions(whole)))
        #expect(shardMentions.count > 500)
    }

    @Test func aDamagedCountsFileNamesItsLineAndField() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let lexicon = RealVocabulary.extractor.lexicon
        let path = dir.appendingPathComponent("bad.counts").path
        try "# pointillist dictionary counts 1\ntotals\t3\t2\t1\nclass\tno-such-synset\t4\t1\t0\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        #expect(
            throws: PointillistError(
                file: path, line: 3, field: "class", reason: "synset no-such-synset is not in this lexicon (counted with another one?)")
        ) {
            try DictionaryCountsFile.read(path, lexicon: lexicon)
        }
        try "totals\t3\t2\t1\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: PointillistError.self) { try DictionaryCountsFile.read(path, lexicon: lexicon) }
        // Counted with another lexicon (or the same one without its tag counts): refused by name.
        let other = "oewn-00001740-n 71873 synsets 97303 lemmas"
        try "# pointillist dictionary counts 1\nlexicon\t\(other)\ntotals\t3\t2\t1\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(
            throws: PointillistError(
                file: path, line: 2, field: "lexicon", reason: "counted with another lexicon (\(other)); this build reads \(lexicon.signature)")
        ) {
            try DictionaryCountsFile.read(path, lexicon: lexicon)
        }
        // A file written by this lexicon names it and reads back.
        var tally = DictionaryTally()
        tally.add(RealVocabulary.extractor.candidates(in: "a dog on the grass"), caption: "a dog on the grass", image: "i", imageNumber: 0)
        try DictionaryCountsFile.text(of: tally, lexicon: lexicon).write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("lexicon\t\(lexicon.signature)\n"))
        #expect(try DictionaryCountsFile.read(path, lexicon: lexicon).kept == tally.kept && tally.kept == 2)
    }
}
