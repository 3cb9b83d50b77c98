import ArgumentParser
import Embedding
import Foundation
import Imaging
import Narratives
import Questions
import Store
import Support
import Vocabulary

extension Pointillist.Questions {
    struct Simulate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "simulate",
            abstract: "Answer the batched questions from ground-truth masks, as simulated annotators (generated scenes).",
            discussion: "Writes an answers CSV (question_id, annotator_id, answer) to import with `questions answers`.")

        @OptionGroup var corpus: CorpusOption

        @OptionGroup var maskOptions: MaskOptions

        @Option(help: "Annotators answering each question.")
        var annotators = 3

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
            let store = try Corpus(path: corpus.db)
            let classOf = try maskOptions.mapping(to: try store.storedDictionary().classes).classOf
            let answered = Set(try store.answers().map(\.questionID))
            let mask = try maskOptions.loader()
            let simulated = SimulatedAnnotators(errorRate: errorRate, unsureRate: unsureRate, seed: seed)
            let unanswered = try store.questions(batch: .batched).filter { !answered.contains($0.id) }
            let (text, count) = try simulated.answersCSV(to: unanswered, annotators: annotators, classOf: classOf, mask: mask)
            try FileSystem.writeAtomically(to: out) { try $0.write(text) }
            print("wrote \(out): \(count) answers by \(annotators) simulated annotators (error rate \(errorRate), unsure \(unsureRate))")
        }
    }
}
