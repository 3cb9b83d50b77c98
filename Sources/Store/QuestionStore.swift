import Questions
import Support

/// What `storeFirstRound` did.
public struct SamplingReport: Sendable {
    public var images = 0
    public var alreadySampled = 0
    public var points = 0
    public var questions = 0
    /// Points with no candidate class (an image whose classes have no trace points and no mentions).
    public var pointsWithoutCandidates = 0
    /// Candidate classes stored (image, class), by source.
    public var candidates: [CandidateSource: Int] = [:]
    /// First-round questions by the source of their class.
    public var firstQuestions: [CandidateSource: Int] = [:]
}

extension Corpus {
    /// Images that already have sampled points: a rerun skips them (resume).
    public func sampledImages() throws(PointillistError) -> Set<String> {
        let s = try database.prepare("SELECT DISTINCT image_id FROM question_points")
        var result: Set<String> = []
        while try s.step() { result.insert(s.text("image_id")) }
        return result
    }

    /// Stores sampled points with their ranking and the first-round question of each point
    /// (its top class), and each image's size as stored (`sizes`, by image id). Images already
    /// sampled are left as they are. One transaction.
    public func storeFirstRound(_ images: [ImagePoints], sizes: [String: ImageSize] = [:]) throws -> SamplingReport {
        var report = SamplingReport()
        let done = try sampledImages()
        try database.transaction { () throws(PointillistError) in
            let size = try database.prepare("INSERT OR REPLACE INTO image_sizes(image_id, width, height) VALUES (?, ?, ?)")
            let point = try database.prepare("INSERT INTO question_points(image_id, point_index, x, y, ranked) VALUES (?, ?, ?, ?, ?)")
            let question = try database.prepare(
                "INSERT OR IGNORE INTO questions(id, image_id, point_index, class_id, round) VALUES (?, ?, ?, ?, 1)")
            let candidate = try database.prepare("INSERT INTO candidates(image_id, class_id, source) VALUES (?, ?, ?)")
            for image in images {
                guard !done.contains(image.imageID) else {
                    report.alreadySampled += 1
                    continue
                }
                report.images += 1
                if let s = sizes[image.imageID] {
                    try size.run([.text(image.imageID), .integer(Int64(s.width)), .integer(Int64(s.height))])
                }
                for (classID, source) in image.sources.sorted(by: { $0.key < $1.key }) {
                    try candidate.run([.text(image.imageID), .integer(Int64(classID)), .text(source.rawValue)])
                    report.candidates[source, default: 0] += 1
                }
                for p in image.points {
                    try point.run([
                        .text(p.imageID), .integer(Int64(p.pointIndex)), .real(p.x), .real(p.y),
                        .text(p.ranked.map(String.init).joined(separator: " ")),
                    ])
                    report.points += 1
                    guard let top = p.ranked.first else {
                        report.pointsWithoutCandidates += 1
                        continue
                    }
                    try question.run([
                        .text(Question.id(imageID: p.imageID, pointIndex: p.pointIndex, classID: top)), .text(p.imageID),
                        .integer(Int64(p.pointIndex)), .integer(Int64(top)),
                    ])
                    report.questions += 1
                    report.firstQuestions[image.sources[top] ?? .unrecorded, default: 0] += 1
                }
            }
        }
        return report
    }

    /// The largest class id the corpus holds, in its dictionary or its questions; 0 for none.
    public func highestClassID() throws(PointillistError) -> Int {
        let classes = try database.scalar("SELECT coalesce(max(id), 0) FROM classes")
        let asked = try database.scalar("SELECT coalesce(max(class_id), 0) FROM questions")
        return Int(max(classes, asked))
    }

    /// How many questions ask about each class, by class id.
    public func questionCountsByClass() throws(PointillistError) -> [Int: Int] {
        let s = try database.prepare("SELECT class_id, count(*) AS n FROM questions GROUP BY class_id")
        var result: [Int: Int] = [:]
        while try s.step() { result[s.int("class_id")] = s.int("n") }
        return result
    }

    /// The recorded size of each sampled image that has one, by image id.
    public func imageSizes() throws(PointillistError) -> [String: ImageSize] {
        let s = try database.prepare("SELECT image_id, width, height FROM image_sizes")
        var result: [String: ImageSize] = [:]
        while try s.step() { result[s.text("image_id")] = ImageSize(width: s.int("width"), height: s.int("height")) }
        return result
    }

    /// Every sampled point with its ranking and the source of each ranked class (`.unrecorded`
    /// where none is stored).
    public func pointCandidates() throws(PointillistError) -> [PointCandidates] {
        var sources: [String: [Int: CandidateSource]] = [:]
        let c = try database.prepare("SELECT image_id, class_id, source FROM candidates")
        while try c.step() { sources[c.text("image_id"), default: [:]][c.int("class_id")] = CandidateSource(rawValue: c.text("source")) }
        let s = try database.prepare("SELECT image_id, point_index, x, y, ranked FROM question_points ORDER BY image_id, point_index")
        var result: [PointCandidates] = []
        while try s.step() {
            let imageID = s.text("image_id")
            let ranked = s.text("ranked").split(separator: " ").compactMap { Int($0) }
            let known = sources[imageID] ?? [:]
            result.append(
                PointCandidates(
                    imageID: imageID, pointIndex: s.int("point_index"), x: s.double("x"), y: s.double("y"), ranked: ranked,
                    sources: ranked.map { known[$0] ?? .unrecorded }))
        }
        return result
    }

    /// Which questions to read, by batch.
    public enum BatchFilter: Sendable { case any, unbatched, batched }

    /// The questions asked so far, in id order: all, or only those (not) yet in a batch,
    /// optionally of one image.
    public func questions(batch: BatchFilter = .any, imageID: String? = nil) throws(PointillistError) -> [Question] {
        var conditions: [String] = []
        switch batch {
        case .any: break
        case .unbatched: conditions.append("q.batch_id IS NULL")
        case .batched: conditions.append("q.batch_id IS NOT NULL")
        }
        if imageID != nil { conditions.append("q.image_id = ?") }
        let s = try database.prepare(
            """
            SELECT q.id, q.image_id, q.point_index, p.x, p.y, q.class_id, q.round, c.source FROM questions q
            JOIN question_points p ON p.image_id = q.image_id AND p.point_index = q.point_index
            LEFT JOIN candidates c ON c.image_id = q.image_id AND c.class_id = q.class_id
            \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")) ORDER BY q.id
            """)
        if let imageID { try s.bind([.text(imageID)]) }
        var result: [Question] = []
        while try s.step() {
            result.append(
                Question(
                    id: s.text("id"), imageID: s.text("image_id"), pointIndex: s.int("point_index"), x: s.double("x"), y: s.double("y"),
                    classID: s.int("class_id"), round: s.int("round"),
                    source: s.isNull("source") ? .unrecorded : CandidateSource(rawValue: s.text("source")) ?? .unrecorded))
        }
        return result
    }

    /// Records a batch and marks its questions, in one transaction; returns the batch number.
    /// Numbers come from the table, so they continue across runs.
    public func recordBatch(round: Int, questions: [String], assignments: Int, csv: String, jsonl: String) throws -> Int {
        try database.transaction { () throws(PointillistError) -> Int in
            try database.prepare("INSERT INTO batches(round, questions, assignments, csv, jsonl) VALUES (?, ?, ?, ?, ?)").run([
                .integer(Int64(round)), .integer(Int64(questions.count)), .integer(Int64(assignments)), .text(csv), .text(jsonl),
            ])
            let id = Int(try database.scalar("SELECT last_insert_rowid()"))
            let mark = try database.prepare("UPDATE questions SET batch_id = ? WHERE id = ? AND batch_id IS NULL")
            for q in questions {
                guard try mark.run([.integer(Int64(id)), .text(q)]) == 1 else {
                    throw PointillistError("question \(q) is already in a batch", doing: "recording batch \(id)")
                }
            }
            return id
        }
    }

    /// The next batch number (for naming files before the batch is recorded).
    public func nextBatchNumber() throws(PointillistError) -> Int {
        Int(try database.scalar("SELECT coalesce(max(id), 0) + 1 FROM batches"))
    }

    /// Every accepted answer.
    public func answers() throws(PointillistError) -> [Answer] {
        let s = try database.prepare("SELECT question_id, annotator_id, value, duration, line FROM answers ORDER BY question_id, annotator_id")
        var result: [Answer] = []
        while try s.step() {
            guard let value = AnswerValue(rawValue: s.text("value")) else { continue }
            result.append(
                Answer(
                    questionID: s.text("question_id"), annotatorID: s.text("annotator_id"), value: value,
                    durationSeconds: s.isNull("duration") ? nil : s.double("duration"), line: s.int("line")))
        }
        return result
    }

    /// Stores one answers file's accepted answers and rejected lines, in one transaction.
    public func storeAnswers(_ result: AnswerImportResult, file: String) throws {
        try database.transaction { () throws(PointillistError) in
            let insert = try database.prepare(
                "INSERT INTO answers(question_id, annotator_id, value, duration, source, line) VALUES (?, ?, ?, ?, ?, ?)")
            for a in result.accepted {
                try insert.run([
                    .text(a.questionID), .text(a.annotatorID), .text(a.value.rawValue), a.durationSeconds.map { .real($0) } ?? .null,
                    .text(file), .integer(Int64(a.line)),
                ])
            }
            let reject = try database.prepare("INSERT INTO answer_rejects(source, line, field, reason, raw) VALUES (?, ?, ?, ?, ?)")
            for r in result.rejected {
                try reject.run([.text(file), .integer(Int64(r.line)), r.field.map { .text($0) } ?? .null, .text("\(r.reason)"), .text(r.raw)])
            }
        }
    }

    /// What earlier imports of `file` stored: its accepted answers and rejected lines.
    public func previousImport(of file: String) throws(PointillistError) -> PreviousImport {
        var previous = PreviousImport()
        let answers = try database.prepare("SELECT line, question_id, annotator_id FROM answers WHERE source = ?")
        try answers.bind([.text(file)])
        while try answers.step() {
            previous.addAnswer(line: answers.int("line"), questionID: answers.text("question_id"), annotatorID: answers.text("annotator_id"))
        }
        let rejects = try database.prepare("SELECT line, raw FROM answer_rejects WHERE source = ?")
        try rejects.bind([.text(file)])
        while try rejects.step() { previous.addReject(line: rejects.int("line"), raw: rejects.text("raw")) }
        return previous
    }

    /// Stores new questions (a question already stored is left as it is).
    public func storeQuestions(_ questions: [Question]) throws {
        try database.transaction { () throws(PointillistError) in
            let insert = try database.prepare(
                "INSERT OR IGNORE INTO questions(id, image_id, point_index, class_id, round) VALUES (?, ?, ?, ?, ?)")
            for q in questions {
                try insert.run([.text(q.id), .text(q.imageID), .integer(Int64(q.pointIndex)), .integer(Int64(q.classID)), .integer(Int64(q.round))])
            }
        }
    }
}
