import ArgumentParser
import Pipeline
import Questions

extension Pointillist.Questions {
    struct Simulate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "simulate",
            abstract: "Answer the batched questions from ground-truth masks, as simulated annotators (generated scenes).",
            discussion: "Writes an answers CSV (question_id, annotator_id, answer) to import with `questions answers`.")

        @OptionGroup var corpus: CorpusOption

        @OptionGroup var maskOptions: MaskOptions

        @Option(help: "Annotators answering each question.")
        var annotators = SimulateJob.Options.defaultAnnotators

        @Option(name: .customLong("error-rate"), help: "Probability that an annotator answers wrongly.")
        var errorRate = SimulatedAnnotators().errorRate

        @Option(name: .customLong("unsure-rate"), help: "Probability that an annotator answers unsure.")
        var unsureRate = SimulatedAnnotators().unsureRate

        @Option(help: "Seed of the simulated answers.")
        var seed = SimulatedAnnotators().seed

        @Option(help: ArgumentHelp("Answers file to write.", valueName: "path"))
        var out: String = "answers.csv"

        func run() throws {
            guard (0...1).contains(errorRate), (0...1).contains(unsureRate) else { throw ValidationError("rates must be between 0 and 1") }
            var options = SimulateJob.Options(database: corpus.db, masks: maskOptions.groundTruth, out: out)
            options.annotators = annotators
            options.simulated = SimulatedAnnotators(errorRate: errorRate, unsureRate: unsureRate, seed: seed)
            let count = try SimulateJob(options: options).run()
            print("wrote \(out): \(count) answers by \(annotators) simulated annotators (error rate \(errorRate), unsure \(unsureRate))")
        }
    }
}
