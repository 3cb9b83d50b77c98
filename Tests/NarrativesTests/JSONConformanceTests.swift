import Foundation
import Testing

@testable import Narratives

/// The scanner against JSONTestSuite's parsing corpus: every y_ file is accepted, every n_
/// file rejected, and i_ files get a definite verdict without crashing.
@Suite struct JSONConformanceTests {
    static let folder = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/JSONTestSuite")

    static func cases(_ prefix: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasPrefix(prefix) && $0.hasSuffix(".json") }.sorted()
    }

    static func verdict(_ name: String) throws -> Result<Void, JSONError> {
        let data = try Data(contentsOf: folder.appendingPathComponent(name))
        return data.withUnsafeBytes { raw in
            Result { () throws(JSONError) in try JSONScanner.validate(raw.bindMemory(to: UInt8.self)) }
        }
    }

    @Test func theSuiteIsComplete() {
        #expect(Self.cases("y_").count == 95)
        #expect(Self.cases("n_").count == 186)
        #expect(Self.cases("i_").count == 34)
    }

    @Test(arguments: cases("y_"))
    func acceptsValidJSON(_ name: String) throws {
        if case .failure(let error) = try Self.verdict(name) {
            Issue.record("\(name) rejected at byte \(error.offset): \(error.reason)")
        }
    }

    @Test(arguments: cases("n_"))
    func rejectsInvalidJSON(_ name: String) throws {
        if case .success = try Self.verdict(name) { Issue.record("\(name) accepted") }
    }

    /// What we decide where JSON leaves it to the implementation: unpaired surrogates,
    /// invalid UTF-8 and a byte-order mark are rejected; huge or tiny numbers are accepted
    /// by the validator (the decoder rejects those that overflow a double when it reads them).
    @Test(arguments: cases("i_"))
    func implementationDefinedCases(_ name: String) throws {
        let accepted = (try? Self.verdict(name).get()) != nil
        let expectRejected = name.contains("surrogate") || name.contains("UTF-8") || name.contains("utf16")
            || name.contains("UTF-16") || name.contains("BOM") || name.contains("not_in_unicode_range")
            || name.contains("overlong") || name.contains("truncated-utf-8") || name.contains("invalid_utf-8")
            || name.contains("iso_latin_1") || name.contains("lone_utf8") || name.contains("inverted_qm")
            || name.contains("UTF8")
        #expect(accepted != expectRejected, "\(name): accepted = \(accepted)")
    }

    @Test func deepNestingIsRejectedNotRecursed() {
        let deep = Array(repeating: UInt8(ascii: "["), count: 100_000)
        let result = deep.withUnsafeBufferPointer { b in Result { () throws(JSONError) in try JSONScanner.validate(b) } }
        guard case .failure(let error) = result else { Issue.record("accepted"); return }
        #expect(error.reason.contains("nesting"))
    }
}
