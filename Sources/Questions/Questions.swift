/// Stage 4: per-image nearest-neighbour model, point sampling, questions, batches, answers,
/// point labels. (Being written.)
enum QuestionsModule {}
