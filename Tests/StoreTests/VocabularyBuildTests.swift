import Foundation
import Lexicon
import Narratives
import Pipeline
import Support
import Testing
import Vocabulary

@testable import Store

/// The project's real curation files, WordNet database and word list.
enum RealVocabulary {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Vocab").standardizedFileURL.path

    static let extractor: MentionExtractor = {
        do {
            let lexicon = try PrincetonLoader.load()
            return MentionExtractor(
                lexicon: lexicon, curation: try Curation(directory: directory, lexicon: lexicon), wordList: try WordList())
        } catch {
            fatalError("\(error) (run script/setup)")
        }
    }()
}

@Suite(.serialized) struct VocabularyBuildTests {
    /// A corpus of `count` generated narratives.
    func corpus(_ count: Int, in dir: URL) throws -> Corpus {
        let input = dir.appendingPathComponent("shard.jsonl")
        try Fixture.write(Fixture.lines(count), to: input)
        let corpus = try Corpus(path: dir.appendingPathComponent("corpus.sqlite").path)
        _ = try Ingester(corpus: corpus).run([try SourceFile(path: input.path)])
        return corpus
    }

    func build(minimum: Int = 5) -> VocabularyBuild {
        var b = VocabularyBuild(
            extractor: RealVocabulary.extractor, options: DictionaryOptions(minimumMentions: minimum, trainClasses: 5),
            openImages: nil)
        b.batchSize = 37  // several batches, split unevenly between workers
        return b
    }

    @Test func storesEveryMentionOfTheDictionaryWithItsTraceSegment() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = try corpus(300, in: dir)
        let (dictionary, report) = try build().run(corpus: corpus, previousIDs: [:])
        #expect(report.narratives == 300)
        // The generator names 20 objects; "traffic light" is kept by includes.tsv and
        // "person"/"man"/"woman" are separate classes.
        let names = Set(dictionary.classes.map(\.name))
        #expect(names.isSuperset(of: ["woman", "man", "umbrella", "dog", "car", "tree", "traffic light", "bench"]))
        #expect(names.isDisjoint(with: ["image", "background", "picture"]))
        #expect(dictionary.classes.filter(\.train).count == 5)
        // Every kept candidate of a dictionary class became a stored mention.
        let perClass = Dictionary(uniqueKeysWithValues: dictionary.classes.map { ($0.id, $0.mentions) })
        let db = corpus.database
        #expect(report.mentions == perClass.values.reduce(0, +))
        #expect(Int(try db.scalar("SELECT count(*) FROM mentions")) == report.mentions)
        let counted = try db.prepare("SELECT class_id, count(*) FROM mentions GROUP BY class_id")
        while try counted.step() { #expect(perClass[counted.int(0)] == counted.int(1)) }
        #expect(try corpus.vocabularyComplete() == true)
        // The build writes without foreign-key checks; every reference holds and the checks are back on.
        #expect(try db.scalar("PRAGMA foreign_keys") == 1)
        #expect(try db.scalar("SELECT count(*) FROM pragma_foreign_key_check('mentions')") == 0)

        // Spans, words, times and points agree with the stored narrative.
        let segmenter = try corpus.segmenter()
        let rows = try db.prepare(
            """
            SELECT m.start, m.length, m.first_word, m.word_count, m.surface, m.start_time, m.end_time, m.points,
                   n.image_id, n.annotator_id
            FROM mentions m JOIN narratives n ON n.id = m.narrative_id ORDER BY m.id
            """)
        var checked = 0
        var withPoints = 0
        while try rows.step() {
            let stored = try #require(try corpus.narratives(imageID: rows.text(8)).first { $0.narrative.key.annotatorID == rows.int64(9) })
            let caption = Array(stored.narrative.caption.unicodeScalars)
            var text = String.UnicodeScalarView()
            text.append(contentsOf: caption[rows.int(0)..<(rows.int(0) + rows.int(1))])
            #expect(Lexicon.key(String(text)) == rows.text(4))
            let words = stored.words[rows.int(2)..<(rows.int(2) + rows.int(3))]
            #expect(words.first?.start == rows.int(0))
            let points = try rows.withBlob(7) { (b) throws(Packing.Corrupt) in try Packing.unpackTraces(b) }.points
            if rows.isNull(5) {
                #expect(points.isEmpty)
                let unaligned = words.allSatisfy { !$0.isAligned }
                #expect(unaligned)
            } else {
                let from = Float(rows.double(5)), to = Float(rows.double(6))
                #expect(from == words.filter(\.isAligned).map(\.startTime).min())
                let span = Word(start: rows.int(0), length: rows.int(1), status: .exact, startTime: from, endTime: to)
                #expect(points == segmenter.segment(of: span, in: stored.narrative.traces).points)
                let onImage = points.allSatisfy { $0.isOnImage }
                #expect(onImage)  // the default policy drops the band
                if !points.isEmpty { withPoints += 1 }
            }
            checked += 1
        }
        #expect(checked == report.mentions)
        #expect(withPoints == report.mentionsWithPoints)
        #expect(Double(withPoints) > 0.9 * Double(checked))
    }

    @Test func rebuildingGivesTheSameTablesAndKeepsIDs() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = try corpus(200, in: dir)
        let (first, _) = try build().run(corpus: corpus, previousIDs: [:])
        let path = corpus.database.path
        let dumped = try Fixture.dump(path)
        // A different batch size and worker count end in the same state.
        var other = build()
        other.batchSize = 1000
        other.workers = 1
        let previous = Dictionary(uniqueKeysWithValues: first.classes.map { ($0.synset, $0.id) })
        _ = try other.run(corpus: corpus, previousIDs: previous)
        #expect(try Fixture.dump(path) == dumped)

        // An interrupted build is visible, and the next run restores the same state, with the
        // mentions' indexes (dropped while mentions are written) built again.
        func indexes() throws -> [String] {
            let s = try corpus.database.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'mentions' ORDER BY name")
            var names: [String] = []
            while try s.step() { names.append(s.text(0)) }
            return names
        }
        #expect(try indexes() == ["mentions_by_class", "mentions_by_narrative"])
        try corpus.database.execute(
            "UPDATE settings SET value = 'building' WHERE key = 'vocabulary'; DELETE FROM mentions WHERE id % 2 = 0; DROP INDEX mentions_by_class;")
        #expect(throws: PointillistError.self) { try corpus.storedDictionary() }
        _ = try build().run(corpus: corpus, previousIDs: previous)
        #expect(try Fixture.dump(path) == dumped)
        #expect(try indexes() == ["mentions_by_class", "mentions_by_narrative"])

        // A stricter minimum drops classes but never renumbers the others.
        let (strict, report) = try build(minimum: 40).run(corpus: corpus, previousIDs: previous)
        #expect(report.newIDs == 0)
        #expect(strict.classes.count < first.classes.count)
        for c in strict.classes { #expect(previous[c.synset] == c.id) }
        let stored = try corpus.storedDictionary()
        #expect(stored.classes.map(\.id) == strict.classes.map(\.id).sorted())
        #expect(stored.nearMisses.contains { $0.verdict == "rare" })
    }
}

/// `pointillist vocab …` as a user runs it.
@Suite(.serialized) struct VocabCommandTests {
    func run(_ arguments: [String], in dir: URL) throws -> (status: Int32, out: String, err: String) {
        try Fixture.run(arguments, in: dir)
    }

    @Test func buildReviewApplyDiffAndExplain() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let vocab = dir.appendingPathComponent("Vocab")
        try FileManager.default.copyItem(atPath: RealVocabulary.directory, toPath: vocab.path)
        try Fixture.write(Fixture.lines(150), to: dir.appendingPathComponent("shard.jsonl"))
        #expect(try run(["ingest", "--quiet", "shard.jsonl"], in: dir).status == 0)

        let built = try run(["vocab", "build", "--min-mentions", "5", "--openimages", "/nonexistent.csv"], in: dir)
        #expect(built.status != 0)
        #expect(built.err.contains("/nonexistent.csv"))

        let ok = try run(["vocab", "build", "--min-mentions", "5", "--quiet"], in: dir)
        #expect(ok.status == 0, "\(ok.err)")
        #expect(ok.out.contains("dictionary "))
        #expect(ok.out.contains("top classes"))
        #expect(ok.out.contains("Vocab/blocklist.tsv"))  // rules fired
        let dictionaryPath = dir.appendingPathComponent("corpus.dictionary.tsv").path
        let first = try DictionaryFile.read(dictionaryPath)
        #expect(!first.isEmpty)
        try FileManager.default.copyItem(atPath: dictionaryPath, toPath: dir.appendingPathComponent("old.tsv").path)

        // The build recorded its minimum: the review's reasons give it without being told again.
        let review = try run(["vocab", "review", "--out", "review"], in: dir)
        #expect(review.status == 0, "\(review.err)")
        let reasons = try String(contentsOf: dir.appendingPathComponent("review/review.tsv"), encoding: .utf8)
        #expect(reasons.contains("mentions ≥ 5") && !reasons.contains("mentions ≥ 20"))
        let html = try String(contentsOf: dir.appendingPathComponent("review/review.html"), encoding: .utf8)
        #expect(html.contains("<mark>"))
        var sheet = try String(contentsOf: dir.appendingPathComponent("review/review.tsv"), encoding: .utf8)
        // A linguist drops the "bench" class.
        sheet = sheet.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix("\tclass\t") && line.split(separator: "\t", omittingEmptySubsequences: false)[3] == "bench"
                ? "drop" + line : String(line)
        }.joined(separator: "\n")
        try sheet.write(to: dir.appendingPathComponent("review/review.tsv"), atomically: true, encoding: .utf8)
        let applied = try run(["vocab", "apply", "review/review.tsv"], in: dir)
        #expect(applied.status == 0, "\(applied.err)")
        #expect(applied.out.contains("excludes.tsv: bench.n."), "\(applied.out)")
        #expect(try run(["vocab", "apply", "review/review.tsv"], in: dir).out.contains("0 edits applied"))

        #expect(try run(["vocab", "build", "--min-mentions", "5", "--quiet"], in: dir).status == 0)
        let diff = try run(["vocab", "diff", "old.tsv", "corpus.dictionary.tsv"], in: dir)
        #expect(diff.status == 0)
        #expect(diff.out.contains("-\t\(first.first { $0.name == "bench" }!.id)\tbench"))
        #expect(diff.out.contains("0 added, 1 removed"))

        let explain = try run(["vocab", "explain", "--dictionary", "corpus.dictionary.tsv", "a bench and a pelican near the tree"], in: dir)
        #expect(explain.status == 0)
        let rows = explain.out.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.first?.first == "text")
        #expect(rows.dropFirst().map { [$0[0], $0[4]] } == [["bench", "blocklist"], ["pelican", "rare"], ["tree", "kept"]])
    }

    @Test func theShippedDefaultsAreFoundFromAnyFolder() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // From a folder without Vocab/: the checkout the program was built in.
        let fromCheckout = try run(["vocab", "explain", "a pelican and a dog"], in: dir)
        #expect(fromCheckout.status == 0, "\(fromCheckout.err)")
        #expect(fromCheckout.out.contains("pelican"))

        // Installed as <prefix>/bin/pointillist with <prefix>/share/pointillist/Vocab.
        let prefix = dir.appendingPathComponent("prefix")
        let bin = prefix.appendingPathComponent("bin"), share = prefix.appendingPathComponent("share/pointillist")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: share, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: try #require(Fixture.executable), to: bin.appendingPathComponent("pointillist"))
        let vocab = share.appendingPathComponent("Vocab")
        try FileManager.default.copyItem(atPath: RealVocabulary.directory, toPath: vocab.path)
        let blocklist = vocab.appendingPathComponent("blocklist.tsv")
        try (String(contentsOf: blocklist, encoding: .utf8) + "pelican\tblocked in the installed copy\n").write(
            to: blocklist, atomically: true, encoding: .utf8)
        func runInstalled() throws -> (status: Int32, out: String, err: String) {
            let installed = Process()
            installed.executableURL = bin.appendingPathComponent("pointillist")
            installed.arguments = ["vocab", "explain", "a pelican"]
            installed.currentDirectoryURL = dir
            let (out, err) = (Pipe(), Pipe())
            installed.standardOutput = out
            installed.standardError = err
            try installed.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let error = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            installed.waitUntilExit()
            return (installed.terminationStatus, text, error)
        }
        // Without the shipped lexicon: a clear error naming where it was looked for.
        let missing = try runInstalled()
        #expect(missing.status != 0)
        #expect(missing.err.contains("the Open English WordNet not found") && missing.err.contains("--lexicon wordnet-3.0"), "\(missing.err)")
        let oewn = share.appendingPathComponent("Data/oewn")
        try FileManager.default.createDirectory(at: oewn.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: RealVocabulary.directory + "/../Data/oewn", toPath: oewn.path)
        let installed = try runInstalled()
        #expect(installed.status == 0, "\(installed.err)")
        // The installed curation files are the ones read: pelican is blocked there.
        #expect(installed.out.contains("blocklist"), "\(installed.out)")
    }

    @Test func badCurationFilesAndMissingInputsGiveClearErrors() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let vocab = dir.appendingPathComponent("Vocab")
        try FileManager.default.copyItem(atPath: RealVocabulary.directory, toPath: vocab.path)
        let aliases = vocab.appendingPathComponent("aliases.tsv")
        try (String(contentsOf: aliases, encoding: .utf8) + "telly\ttelevision.n.99\n").write(to: aliases, atomically: true, encoding: .utf8)
        let lines = try String(contentsOf: aliases, encoding: .utf8).split(separator: "\n").count
        let bad = try run(["vocab", "explain", "dog"], in: dir)
        #expect(bad.status != 0)
        #expect(bad.err.contains("Vocab/aliases.tsv:\(lines): field sense: 'television.n.99'"))

        let noVocab = try run(["vocab", "explain", "--vocab", "nowhere", "dog"], in: dir)
        #expect(noVocab.status != 0)
        #expect(noVocab.err.contains("'nowhere' not found"))
        let noCorpus = try run(["vocab", "build", "--vocab", RealVocabulary.directory], in: dir)
        #expect(noCorpus.status != 0)
        #expect(noCorpus.err.contains("run `pointillist ingest` first"))
        let noText = try run(["vocab", "explain"], in: dir)
        #expect(noText.status != 0)
        // The shipped OEWN is weighed by WordNet 3.0's tag counts: without them, an error.
        let noCounts = try run(["vocab", "explain", "--vocab", RealVocabulary.directory, "--wordnet", "/nonexistent", "dog"], in: dir)
        #expect(noCounts.status != 0)
        #expect(noCounts.err.contains("/nonexistent/cntlist.rev not found") && noCounts.err.contains("--wordnet"), "\(noCounts.err)")
    }
}
