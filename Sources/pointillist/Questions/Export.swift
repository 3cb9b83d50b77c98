import ArgumentParser
import Embedding
import Foundation
import Imaging
import Narratives
import Questions
import Store
import Vocabulary

extension Pointillist.Questions {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Export point labels in the Open Images V7 point-label CSV layout.",
            discussion:
                "Columns ImageId,X,Y,Label,EstimatedYesNo,Source,YesVotes,NoVotes,UnsureVotes,TextLabel; Label is the Open Images MID when the class has one, else the class id."
        )

        @OptionGroup var corpus: CorpusOption

        @Option(help: ArgumentHelp("CSV to write.", valueName: "path"))
        var out: String = "point-labels.csv"

        @Option(name: .customLong("min-answers"), help: "Decisive answers needed for Yes or No.")
        var minimumAnswers = 2

        @Option(
            help: ArgumentHelp(
                "Also write the labels' names here (Label,name; no header), the layout of Open Images' class descriptions: with the images in data/, the point labels as labels/points.csv and this file as metadata/classes.csv, FiftyOne's Open Images V7 importer reads the labels.",
                valueName: "path"))
        var classes: String?

        func run() throws {
            let store = try Corpus(path: corpus.db)
            let classes = Dictionary(uniqueKeysWithValues: try store.storedDictionary().classes.map { ($0.id, $0) })
            let aggregated = Aggregation.aggregate(try store.answers(), rule: AggregationRule(minimumAnswers: minimumAnswers))
            var rows: [ExportRow] = []
            for q in try store.questions() {
                guard let a = aggregated[q.id] else { continue }
                let c = classes[q.classID]
                rows.append(ExportRow(question: q, label: a.label, votes: a.votes, mid: c?.openImagesMID, className: c?.name ?? "class \(q.classID)"))
            }
            try FileSystem.writeAtomically(to: out) { try $0.write(PointLabelExport.csv(rows)) }
            let yes = rows.filter { $0.estimatedYesNo == "yes" }.count
            print("wrote \(out): \(rows.count) point labels (\(yes) yes)")
            if let path = self.classes {
                try FileSystem.writeAtomically(to: path) { try $0.write(PointLabelExport.classDescriptions(rows)) }
                print("wrote \(path): \(Set(rows.map(\.label)).count) label names")
            }
        }
    }
}
