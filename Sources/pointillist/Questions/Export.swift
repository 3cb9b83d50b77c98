import ArgumentParser
import Embedding
import Foundation
import Imaging
import Narratives
import Pipeline
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

        @OptionGroup var aggregation: AggregationOptions

        @Option(
            help: ArgumentHelp(
                "Also write the labels' names here (Label,name; no header), the layout of Open Images' class descriptions: with the images in data/, the point labels as labels/points.csv and this file as metadata/classes.csv, FiftyOne's Open Images V7 importer reads the labels.",
                valueName: "path"))
        var classes: String?

        func run() throws {
            var options = ExportJob.Options(database: corpus.db, out: out)
            options.classes = classes
            options.aggregation = aggregation.request
            let report = try ExportJob(options: options).run()
            let origin = report.ruleIsRecorded ? "the rule `questions next` decided its rounds by" : "not the rule `questions next` recorded"
            print("wrote \(out): \(report.rows) point labels (\(report.yes) yes); \(AggregationOptions.describe(report.rule)) (\(origin))")
            if let path = classes, let names = report.labelNames { print("wrote \(path): \(names) label names") }
        }
    }
}
