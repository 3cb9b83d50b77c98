import Foundation
import Testing

@testable import Vocabulary

/// Inputs found by `script/fuzz curation`, kept so the fixes stay fixed.
@Suite struct CurationFuzzRegressionTests {
    let lexicon = Real.extractor.lexicon

    /// "\r\n" is one Character in Swift: a curation file saved with CRLF line ends was one line,
    /// and as that line began with a comment, every rule in it was silently dropped.
    @Test func curationFileWithCRLFLineEndsReadsLikeLF() throws {
        let copy = try VocabCopy()
        defer { copy.remove() }
        let aliases =
            "# Words or phrases read as a given sense, whatever the lexicon says.\r\n"
            + "phrase\tsense\r\npeople\tperson.n.01\r\ntv\ttelevision_receiver.n.01\r\n"
        try aliases.write(toFile: copy.url.appendingPathComponent("aliases.tsv").path, atomically: true, encoding: .utf8)
        let curation = try Curation(directory: copy.path, lexicon: lexicon)
        #expect(curation.aliases.keys.sorted() == ["people", "tv"])
        #expect(curation.aliases["tv"]?.rule.line == 4)
        #expect(curation.aliases["tv"]?.synset == lexicon.resolve("television_receiver.n.01"))
    }

    @Test func errorsInACRLFFileNameTheirLine() throws {
        let copy = try VocabCopy()
        defer { copy.remove() }
        let blocklist = "# Words and phrases that never become classes.\r\nword\treason\r\nlonely-word\r\n"
        try blocklist.write(toFile: copy.url.appendingPathComponent("blocklist.tsv").path, atomically: true, encoding: .utf8)
        do {
            _ = try Curation(directory: copy.path, lexicon: lexicon)
            Issue.record("a row without its reason was accepted")
        } catch {
            #expect(error.line == 3)
            #expect(error.field == "reason")
        }
    }
}
