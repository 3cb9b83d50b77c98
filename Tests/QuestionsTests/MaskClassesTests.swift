import Foundation
import Support
import Testing

@testable import Questions

/// The mask class table of generated scenes and its mapping to dictionary classes.
@Suite struct MaskClassesTests {
    @Test func namesMaskValuesAndMapsThemByName() throws {
        let text = "# value\tname\n0\tvoid\n1\tsky\n2\tdog\n3\tgrass\nnot a line\n"
        let names = try MaskClasses.parse(text, path: "classes.tsv")
        #expect(names == [1: "sky", 2: "dog", 3: "grass"])
        // The same table saved with CRLF line ends.
        #expect(try MaskClasses.parse(text.replacingOccurrences(of: "\n", with: "\r\n"), path: "classes.tsv") == names)
        let (classOf, unmapped) = MaskClasses.mapping(names, to: [(id: 7, name: "dog"), (id: 9, name: "grass"), (id: 12, name: "dog")])
        #expect(classOf == [2: 7, 3: 9])
        #expect(unmapped == ["sky"])
    }

    @Test func aTableWithoutNamesIsAnErrorNamingTheFile() {
        #expect(throws: PointillistError(file: "masks/classes.tsv", line: 1, field: nil, reason: "no class names (expected value<TAB>name lines)")) {
            try MaskClasses.parse("# only a comment\n0\tvoid\n", path: "masks/classes.tsv")
        }
    }
}
