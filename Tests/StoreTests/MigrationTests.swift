import Foundation
import Narratives
import Pipeline
import Support
import Testing

@testable import Store

@Suite struct MigrationTests {
    /// A corpus at schema 4 (narrative key led by dataset_id, separate image index), holding
    /// the rows a current ingest of `lines` gives, plus a class and a mention.
    func schema4Corpus(at path: String, lines: [String], in dir: URL) throws {
        let input = dir.appendingPathComponent("in.jsonl")
        try Fixture.write(lines, to: input)
        let current = dir.appendingPathComponent("current.sqlite").path
        _ = try Ingester(corpus: try Corpus(path: current)).run(try FileSystem.expandInputs([input.path]))

        let old = try Database(path: path)
        try old.execute("PRAGMA page_size = 65536; PRAGMA journal_mode = TRUNCATE")
        for version in 0..<4 {
            try old.execute(Corpus.migrations[version].sql)
        }
        try old.execute("PRAGMA user_version = 4")
        try old.execute("ATTACH DATABASE '\(current)' AS current")
        for table in ["settings", "narratives", "rejects"] {
            try old.execute("INSERT INTO \(table) SELECT * FROM current.\(table)")
        }
        // Schema 4's columns of sources (later migrations add more).
        let schema4Columns = try { () throws in
            let columns = try old.prepare("SELECT group_concat(name, ', ') FROM pragma_table_info('sources')")
            _ = try columns.step()
            return columns.text(0)
        }()
        try old.execute("INSERT INTO sources SELECT \(schema4Columns) FROM current.sources")
        try old.execute("DETACH DATABASE current")
        try old.execute(
            """
            INSERT INTO classes VALUES (7, 'dog', 'dog.n.01', 'dog.n.01', 'i46360', 'noun.animal', 1, 1, 1, '', '', 0, 'dog', 'a dog', '', '');
            INSERT INTO mentions VALUES (1, 3, 7, 0, 3, 0, 1, 'dog', 'dog', 1.0, 1.5, 0, 0, x'');
            """)
    }

    @Test func laterMigrationsKeepEveryRowAndIdAndRebuildTheNarrativeKey() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("old.sqlite").path
        let lines = Fixture.lines(30)
        try schema4Corpus(at: path, lines: lines, in: dir)
        let before = try Fixture.dump(path)
        #expect(before["narratives"]?.count == 30)

        let corpus = try Corpus(path: path)
        #expect(try corpus.database.userVersion == Corpus.migrations.count)
        var after = try Fixture.dump(path)
        // Migration 6 adds byte_order_marks (0) and damage (NULL) to each source.
        #expect(after["sources"]?.allSatisfy { $0.suffix(2) == [.integer(0), .null] } == true)
        after["sources"] = after["sources"]?.map { Array($0.dropLast(2)) }
        // Migration 7 adds the candidates of sampled images: none here.
        #expect(after.removeValue(forKey: "candidates") == [])
        // Migration 8 adds the sampled images' sizes: none here.
        #expect(after.removeValue(forKey: "image_sizes") == [])
        #expect(after == before)

        // One index on the key, led by image_id; the separate image index is gone.
        let indexes = try corpus.database.prepare(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'narratives' ORDER BY name")
        var names: [String] = []
        while try indexes.step() { names.append(indexes.text(0)) }
        #expect(names.count == 1)
        #expect(!names.contains("narratives_by_image"))
        let plan = try corpus.database.prepare("EXPLAIN QUERY PLAN SELECT id FROM narratives WHERE image_id = 'x'")
        var detail = ""
        while try plan.step() { detail += plan.text(3) }
        #expect(detail.contains("USING INDEX") || detail.contains("USING COVERING INDEX"), "\(detail)")

        // The key still refuses duplicates, and the mention still points at its narrative.
        let input = dir.appendingPathComponent("again.jsonl")
        try Fixture.write(lines, to: input)
        let report = try Ingester(corpus: corpus).run(try FileSystem.expandInputs([input.path]))
        #expect(report.counts.duplicates == 30)
        #expect(report.counts.stored == 0)
        let check = try corpus.database.prepare("PRAGMA foreign_key_check")
        #expect(try !check.step())
        let joined = try corpus.database.prepare(
            "SELECT n.image_id FROM mentions m JOIN narratives n ON n.id = m.narrative_id")
        #expect(try joined.step())
        #expect(SQLValue.text(joined.text(0)) == before["narratives"]?[2][2])
    }
}

@Suite struct CandidateSourceMigrationTests {
    /// A corpus sampled before sources were recorded: its mentioned classes read as mentions,
    /// a class no narrative mentions as unrecorded (it came from a label or the model).
    @Test func imagesSampledBeforeSourcesKeepTheirMentionsAsMentions() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("old.sqlite").path
        try MigrationTests().schema4Corpus(at: path, lines: Fixture.lines(30), in: dir)
        let old = try Database(path: path)
        for version in 4..<6 { try old.execute(Corpus.migrations[version].sql) }
        try old.execute("PRAGMA user_version = 6")
        let image = try { () throws in
            let s = try old.prepare("SELECT image_id FROM narratives WHERE id = 3")
            _ = try s.step()
            return s.text(0)
        }()
        try old.execute(
            """
            INSERT INTO question_points VALUES ('\(image)', 0, 0.25, 0.5, '9 7');
            INSERT INTO questions VALUES ('qa', '\(image)', 0, 9, 1, NULL);
            INSERT INTO questions VALUES ('qb', '\(image)', 0, 7, 2, NULL);
            """)

        let corpus = try Corpus(path: path)
        let sources = Dictionary(uniqueKeysWithValues: try corpus.questions().map { ($0.id, $0.source) })
        #expect(sources == ["qa": .unrecorded, "qb": .mention])
        let point = try #require(try corpus.pointCandidates().first)
        #expect(point.ranked == [9, 7])
        #expect(point.sources == [.unrecorded, .mention])
    }
}
