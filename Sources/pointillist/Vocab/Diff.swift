import ArgumentParser
import Foundation
import Lexicon
import Narratives
import Store
import Vocabulary

extension Pointillist.Vocab {
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "diff",
            abstract: "Compare two dictionary files: classes added (+), removed (-) and changed (~).")

        @Argument(help: ArgumentHelp("The older dictionary TSV.", valueName: "old"))
        var old: String

        @Argument(help: ArgumentHelp("The newer dictionary TSV.", valueName: "new"))
        var new: String

        func run() throws {
            let diff = DictionaryDiff(old: try DictionaryFile.read(old), new: try DictionaryFile.read(new))
            for line in diff.lines { print(line) }
            print("\(diff.added.count) added, \(diff.removed.count) removed, \(diff.changed.count) changed")
        }
    }
}
