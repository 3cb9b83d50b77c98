import Foundation
import Narratives
import Support
import Text

/// How the mouse behaved while a named thing was said.
public enum Tracing: String, Sendable, CaseIterable {
    /// Moved over the named object(s), after a lag, with jitter, drift and spill.
    case onObject
    /// Moved over some other object instead.
    case elsewhere
    /// Kept wandering (or the pen was up): no deliberate trace.
    case none
}

/// A word of a caption that names a class: the ground truth behind a point question.
public struct SceneMention: Sendable, Equatable {
    public var classValue: Int
    public var className: String
    /// The object numbers it names (several for a plural).
    public var objects: [Int]
    /// The word as written in the caption ("dogs", "people").
    public var word: String
    /// Its index among the caption's words (`Tokenizer.tokens(in:)` order).
    public var wordIndex: Int
    /// When the word was really spoken, in seconds (also when its utterance is untimed).
    public var start: Double
    public var end: Double
    public var tracing: Tracing
}

/// One generated Localized Narrative with its ground truth.
public struct GeneratedNarrative: Sendable, Equatable {
    public var annotatorID: Int
    public var caption: String
    /// The timed caption, as written to the JSONL (times rounded to 0.1 s, some untimed).
    public var utterances: [Utterance]
    /// The trace segments, as written (x, y rounded to 4 decimals, t to 3).
    public var traces: [[TracePoint]]
    public var mentions: [SceneMention]
}

/// Writes captions, speech timing and mouse traces for a composed scene.
struct Narrator {
    let configuration: SceneConfiguration
    let classes: [SceneClass]

    func narrate(_ scene: Composition, imageIndex: Int, annotator: Int, annotatorID: Int) -> GeneratedNarrative {
        let random = SplitMix64(seed: configuration.seed, stream: 2 + UInt64(annotator), index: UInt64(imageIndex))
        var writer = CaptionWriter(configuration: configuration, classes: classes, scene: scene, random: random)
        var named = writer.chooseWhatToName()
        writer.writeOpening(&named)
        writer.writeOthers(named)
        writer.writeGroundAndBackground(&named)
        let caption = writer.capitalisedCaption()
        var speech = Speech(words: writer.words, random: writer.random, configuration: configuration)
        let mentions = speech.mentions(of: writer.mentionObjects, classes: classes)
        var rest = speech.random
        let traces = trace(
            scene, mentions: mentions, begin: max(0, (speech.starts.first ?? 0) - rest.uniform(0.2, 1.0)),
            end: speech.end + rest.uniform(0.2, 1.0), random: &rest)
        return GeneratedNarrative(annotatorID: annotatorID, caption: caption, utterances: speech.utterances, traces: traces, mentions: mentions)
    }

    /// Letters in a word (punctuation does not take time to say).
    static func letters(_ word: String) -> Int {
        max(1, word.unicodeScalars.filter { $0.properties.isAlphabetic }.count)
    }

    /// How transcriptions usually read: lower case, no punctuation.
    static func spoken(_ text: String) -> String {
        String(text.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || $0 == " " || $0 == "-" || $0 == "'" }.map(Character.init))
    }

    // MARK: Traces

    private struct Keyframe {
        var t: Double
        var x: Double
        var y: Double
    }

    /// The mouse: scribbles over what is being named (after a lag, with spill onto
    /// neighbours), wanders in between, drifts and jitters, lifts off now and then, and
    /// strays into the band around the image. The steps draw from `random` in this order.
    private func trace(_ scene: Composition, mentions: [SceneMention], begin: Double, end: Double, random: inout SplitMix64) -> [[TracePoint]] {
        let windows = handWindows(scene, mentions: mentions, random: &random)
        let keys = keyframes(scene, windows: windows, begin: begin, end: end, random: &random)
        var samples = sampled(keys, begin: begin, end: end, random: &random)
        addExcursions(to: &samples, random: &random)
        return penLiftSegments(samples, begin: begin, end: end, random: &random)
    }

    /// A window in which the hand works on a mention: the pixels of its targets, in turn.
    private struct Window {
        var start: Double
        var end: Double
        var targets: [[Int32]]
        var spill: Bool
    }

    private typealias Sample = (t: Double, x: Double, y: Double)

    /// The hand's windows, one per traced mention, after the speaker's lag, in time order and
    /// cut so that they do not overlap.
    private func handWindows(_ scene: Composition, mentions: [SceneMention], random: inout SplitMix64) -> [Window] {
        var windows: [Window] = []
        for m in mentions {
            let lag = random.normal(mean: configuration.lagMean, std: configuration.lagStd)
            let start = m.start + lag
            let end = max(m.end + lag + random.uniform(0.1, 0.5), start + 0.35)
            switch m.tracing {
            case .none:
                continue
            case .onObject:
                let targets = m.objects.prefix(3).map { scene.pixels[$0] }.filter { !$0.isEmpty }
                windows.append(Window(start: start, end: end, targets: targets, spill: true))
            case .elsewhere:
                let others = scene.objects.filter { $0.pixelCount > 0 && $0.classValue != m.classValue }
                if let other = random.pick(others) {
                    windows.append(Window(start: start, end: end, targets: [scene.pixels[other.number]], spill: false))
                }
            }
        }
        windows.sort { $0.start < $1.start }
        for i in windows.indices.dropLast() where windows[i].end > windows[i + 1].start {
            windows[i].end = max(windows[i].start + 0.15, windows[i + 1].start)
        }
        return windows
    }

    /// Where the hand is when: scribbles over each window's targets, wandering in between.
    private func keyframes(_ scene: Composition, windows: [Window], begin: Double, end: Double, random: inout SplitMix64) -> [Keyframe] {
        let (w, h) = (configuration.width, configuration.height)
        func point(of pixel: Int32, spill: Bool) -> (Double, Double) {
            var x = Double(Int(pixel) % w) + random.unit()
            var y = Double(Int(pixel) / w) + random.unit()
            if spill {
                let angle = random.uniform(0, 2 * .pi)
                let distance = random.uniform(0.03, 0.08) * Double(w)
                x += cos(angle) * distance
                y += sin(angle) * distance
            }
            return (x / Double(w), y / Double(h))
        }
        func anywhere() -> (Double, Double) {
            if random.chance(0.5), let object = random.pick(scene.pixels.filter { !$0.isEmpty }), let pixel = random.pick(object) {
                return point(of: pixel, spill: false)
            }
            return (random.uniform(0.05, 0.95), random.uniform(0.05, 0.95))
        }
        var keys: [Keyframe] = []
        var last = begin
        let (x0, y0) = anywhere()
        keys.append(Keyframe(t: begin, x: x0, y: y0))
        func wander(until t: Double) {
            while t - last > 0.7 {
                last += random.uniform(0.3, 0.6)
                let (x, y) = anywhere()
                keys.append(Keyframe(t: last, x: x, y: y))
            }
        }
        for window in windows where !window.targets.isEmpty {
            wander(until: window.start)
            var t = max(window.start, last + 0.05)
            let share = (window.end - window.start) / Double(window.targets.count)
            for (n, target) in window.targets.enumerated() {
                let stop = window.start + share * Double(n + 1)
                while t < stop {
                    if let pixel = random.pick(target) {
                        let spill = window.spill && random.chance(configuration.spillProbability)
                        let (x, y) = point(of: pixel, spill: spill)
                        keys.append(Keyframe(t: t, x: x, y: y))
                    }
                    t += random.uniform(0.1, 0.22)
                }
            }
            last = max(last, t)
        }
        wander(until: end)
        keys.sort { $0.t < $1.t }
        return keys
    }

    /// The trace sampled between the keyframes (smoothstep), with drift (an Ornstein–Uhlenbeck
    /// wander off the target) and jitter, clamped to the image.
    private func sampled(_ keys: [Keyframe], begin: Double, end: Double, random: inout SplitMix64) -> [Sample] {
        var samples: [Sample] = []
        var t = begin
        var k = 0
        var driftX = 0.0
        var driftY = 0.0
        let step = configuration.sampleInterval * random.uniform(0.95, 1.2)
        while t <= end {
            while k + 1 < keys.count, keys[k + 1].t <= t { k += 1 }
            let a = keys[k]
            let b = k + 1 < keys.count ? keys[k + 1] : a
            var f = b.t > a.t ? (t - a.t) / (b.t - a.t) : 0
            f = f * f * (3 - 2 * f)
            let rho = exp(-step / 0.8)
            let sigma = configuration.driftStd * (1 - rho * rho).squareRoot()
            driftX = driftX * rho + sigma * random.normal()
            driftY = driftY * rho + sigma * random.normal()
            let x = a.x + (b.x - a.x) * f + driftX + configuration.jitterStd * random.normal()
            let y = a.y + (b.y - a.y) * f + driftY + configuration.jitterStd * random.normal()
            samples.append((t, min(max(x, 0), 1), min(max(y, 0), 1)))
            t += step * random.uniform(0.9, 1.1)
        }
        return samples
    }

    /// Excursions into the band around the image: runs of points past the nearest edge.
    private func addExcursions(to samples: inout [Sample], random: inout SplitMix64) {
        let runLength = 5.0
        var s = 0
        while s < samples.count {
            if random.chance(configuration.outOfBandFraction / runLength) {
                let length = random.int(2...8)
                let (x, y) = (samples[s].x, samples[s].y)
                let edges = [x, 1 - x, y, 1 - y]
                let edge = edges.indices.min { edges[$0] < edges[$1] } ?? 0
                for j in s..<min(samples.count, s + length) {
                    let beyond = random.uniform(0.002, 0.05)
                    switch edge {
                    case 0: samples[j].x = -beyond
                    case 1: samples[j].x = 1 + beyond
                    case 2: samples[j].y = -beyond
                    default: samples[j].y = 1 + beyond
                    }
                }
                s += length
            } else {
                s += 1
            }
        }
    }

    /// Pen lifts split the trace into segments (of two points at least), rounded as LN files are.
    private func penLiftSegments(_ samples: [Sample], begin: Double, end: Double, random: inout SplitMix64) -> [[TracePoint]] {
        var lifts: [(Double, Double)] = []
        for _ in 0..<[0, 1, 2, 3][random.weighted([0.3, 0.35, 0.22, 0.13])] {
            let at = random.uniform(begin, end)
            lifts.append((at, at + random.uniform(0.2, 1.0)))
        }
        var segments: [[TracePoint]] = []
        var current: [TracePoint] = []
        for sample in samples {
            if lifts.contains(where: { sample.t >= $0.0 && sample.t < $0.1 }) {
                if current.count >= 2 { segments.append(current) }
                current = []
                continue
            }
            current.append(TracePoint(x: Narrator.round(sample.x, 4), y: Narrator.round(sample.y, 4), t: Narrator.round(sample.t, 3)))
        }
        if current.count >= 2 { segments.append(current) }
        return segments
    }

    static func round(_ v: Double, _ decimals: Int) -> Float {
        let scale = decimals == 4 ? 10_000.0 : 1_000.0
        return Float((v * scale).rounded() / scale)
    }
}

/// A caption word: its text with trailing punctuation, and the mention it carries.
private struct Word {
    var text: String
    var mention: Int?
}

/// Objects of one class named together.
private struct Entry {
    var classPosition: Int
    var objects: [Int]
    var pixels: Int
}

/// What a caption names: things, largest first, and the background regions it may name.
private struct Named {
    var things: [Entry]
    var rest: [Entry] = []
    var ground: Entry?
    var secondGround: Entry?
    var middle: Entry?
    var top: Entry?
}

/// Writes one caption word by word, drawing its choices from the narrative's random stream;
/// each noun it writes becomes a mention (`mentionObjects`).
private struct CaptionWriter {
    let configuration: SceneConfiguration
    let classes: [SceneClass]
    let scene: Composition
    var random: SplitMix64
    var words: [Word] = []
    var mentionObjects: [(entry: Entry, plural: Bool)] = []
    var objects: [SceneObject] { scene.objects }
    var w: Int { configuration.width }
    var h: Int { configuration.height }

    init(configuration: SceneConfiguration, classes: [SceneClass], scene: Composition, random: SplitMix64) {
        self.configuration = configuration
        self.classes = classes
        self.scene = scene
        self.random = random
    }

    /// What to name: things large enough and not left unnamed (a class's instances named
    /// together mostly), then the ground, a second ground, the middle and top regions.
    mutating func chooseWhatToName() -> Named {
        let minimumPixels = max(1, Int(configuration.minimumNamedFraction * Double(w * h)))
        var thingEntries: [Entry] = []
        for object in objects where !object.isStuff && object.pixelCount >= minimumPixels {
            let small = object.pixelCount < w * h / 100
            if random.chance(configuration.unnamedProbability * (small ? 1.8 : 0.7)) { continue }
            let position = object.classValue - 1
            if let i = thingEntries.firstIndex(where: { $0.classPosition == position }), random.chance(0.8) {
                thingEntries[i].objects.append(object.number)
                thingEntries[i].pixels += object.pixelCount
            } else {
                thingEntries.append(Entry(classPosition: position, objects: [object.number], pixels: object.pixelCount))
            }
        }
        func stuffEntry(_ number: Int?, _ probability: Double) -> Entry? {
            guard let number, objects[number].pixelCount >= minimumPixels, random.chance(probability) else { return nil }
            return Entry(classPosition: objects[number].classValue - 1, objects: [number], pixels: objects[number].pixelCount)
        }
        let ground = stuffEntry(scene.bottoms.first, 0.85)
        let secondGround = scene.bottoms.count > 1 ? stuffEntry(scene.bottoms[1], 0.7) : nil
        let middle = stuffEntry(scene.middle, 0.8)
        let top = stuffEntry(scene.top, 0.85)
        return Named(things: thingEntries, ground: ground, secondGround: secondGround, middle: middle, top: top)
    }

    mutating func say(_ text: String) {
        for part in text.split(separator: " ") { words.append(Word(text: String(part))) }
    }
    mutating func noun(_ entry: Entry, plural: Bool, _ suffix: String = "") {
        let c = classes[entry.classPosition]
        mentionObjects.append((entry, plural))
        words.append(Word(text: (plural ? c.plural : c.name) + suffix, mention: mentionObjects.count - 1))
    }
    func article(for next: String) -> String {
        "aeiou".contains(next.first ?? "x") ? "an" : "a"
    }
    /// A noun phrase: quantity or article, maybe a colour, the noun.
    mutating func phrase(_ entry: Entry, _ suffix: String = "") {
        let c = classes[entry.classPosition]
        let count = entry.objects.count
        var adjective: String? = nil
        if !c.placement.isStuff, random.chance(0.3) { adjective = objects[entry.objects[0]].colourWord }
        if count >= 2 {
            let numbers = ["", "", "two", "three", "four", "five"]
            let quantity: String
            if count < numbers.count, random.chance(0.6) {
                quantity = numbers[count]
            } else {
                quantity = random.pick(count >= 4 ? ["many", "some", "a few", "few", "a group of"] : ["some", "a few", "few"]) ?? "some"
            }
            say(quantity)
            if let adjective { say(adjective) }
            noun(entry, plural: true, suffix)
            return
        }
        if c.placement.isStuff {
            let pluralStuff = ["mountain", "hill", "building"].contains(c.name) && random.chance(0.4)
            if pluralStuff {
                noun(entry, plural: true, suffix)
            } else if c.mass {
                if random.chance(0.5) { say("the") }
                noun(entry, plural: false, suffix)
            } else {
                say(random.chance(0.6) ? "the" : article(for: c.name))
                noun(entry, plural: false, suffix)
            }
            return
        }
        say(article(for: adjective ?? c.name))
        if let adjective { say(adjective) }
        noun(entry, plural: false, suffix)
    }
    func isAre(_ entry: Entry) -> String { entry.objects.count > 1 ? "are" : "is" }
    mutating func list(_ entries: [Entry], end: String) {
        for (i, e) in entries.enumerated() {
            if i == entries.count - 1 {
                if i > 0 { say("and") }
                phrase(e, end)
            } else {
                phrase(e, i == entries.count - 2 ? "" : ",")
            }
        }
    }
    mutating func positionWords(_ entry: Entry) -> String {
        let c = objects[entry.objects[0]].centre(width: w, height: h)
        if c.x < 0.33 { return random.chance(0.5) ? "On the left side of the image" : "On the left side" }
        if c.x > 0.67 { return random.chance(0.5) ? "On the right side of the image" : "On the right side" }
        if c.y < 0.35 { return "At the top of the image" }
        if c.y > 0.7 { return "At the bottom of the image" }
        return "In the middle of the image"
    }

    /// Opening sentence: the biggest thing (maybe on the ground), or the ground, or the background.
    mutating func writeOpening(_ named: inout Named) {
        named.things.sort { $0.pixels > $1.pixels }
        named.rest = named.things
        if !named.rest.isEmpty {
            let main = named.rest.removeFirst()
            let onGround = classes[main.classPosition].placement == .ground
            let opener =
                random.pick([
                    "In this image we can see", "In this image we can see", "In this picture we can see", "In this image I can see",
                    "Here we can see",
                ]) ?? ""
            say(opener)
            if onGround, let g = named.ground, random.chance(0.5) {
                phrase(main)
                say("on")
                say("the")
                noun(g, plural: false, ".")
                named.ground = nil
            } else {
                phrase(main, ".")
            }
        } else if let g = named.ground {
            say("In this image we can see")
            phrase(g, ".")
            named.ground = nil
        } else {
            say("In this image we can see")
            list([named.top, named.middle].compactMap { $0 }, end: ".")
        }
    }

    /// The other things, each by its position or beside the previous one.
    mutating func writeOthers(_ named: Named) {
        var previous: Entry? = named.things.first
        let rest = named.rest
        var i = 0
        while i < rest.count {
            let entry = rest[i]
            let style = random.below(6)
            if style == 0, let p = previous, p.classPosition != entry.classPosition {
                say("Beside the")
                noun(p, plural: p.objects.count > 1)
                say("there \(isAre(entry))")
                phrase(entry, ".")
            } else if style == 1, classes[entry.classPosition].placement == .ground, let g = named.ground ?? named.secondGround {
                say("There \(isAre(entry))")
                phrase(entry)
                say("on the")
                noun(g, plural: false, ".")
            } else if style == 2, i + 1 < rest.count {
                say(positionWords(entry) + " we can see")
                phrase(entry)
                say("and")
                phrase(rest[i + 1], ".")
                i += 1
            } else if style == 3 {
                say("We can see")
                phrase(entry)
                say(positionWords(entry).lowercased() + ".")
            } else if style == 4 {
                say("Also there \(isAre(entry))")
                phrase(entry, ".")
            } else {
                say(positionWords(entry) + " there \(isAre(entry))")
                phrase(entry, ".")
            }
            previous = rest[i]
            i += 1
        }
    }

    /// Ground regions not yet named, then the background (middle and top), maybe the sky's look.
    mutating func writeGroundAndBackground(_ named: inout Named) {
        if let g = named.ground {
            if random.chance(0.5) {
                say("At the bottom of the image we can see")
                phrase(g, ".")
            } else {
                say("There is")
                phrase(g)
                say("at the bottom.")
            }
        }
        if let g = named.secondGround, random.chance(0.8) {
            say(random.pick(["We can also see", "Also we can see", "I can see"]) ?? "")
            phrase(g, ".")
            named.secondGround = nil
        }
        let background = [named.middle, named.top].compactMap { $0 }.filter { e in !mentionObjects.contains { $0.entry.objects == e.objects } }
        if !background.isEmpty {
            if background.count == 1, classes[background[0].classPosition].name == "sky", random.chance(0.4) {
                say("At the top of the image we can see")
                phrase(background[0], ".")
            } else {
                let verb = random.pick(["there is", "we can see", "I can see"]) ?? "we can see"
                say("In the background " + (verb == "there is" && (background.count > 1) ? "there are" : verb))
                list(background, end: ".")
            }
        }
        if let t = named.top, classes[t.classPosition].name == "sky", random.chance(0.2) {
            say("The")
            noun(t, plural: false)
            say("is \(random.chance(0.5) ? "cloudy" : "blue").")
        }
    }

    /// The caption, sentence starts capitalised.
    mutating func capitalisedCaption() -> String {
        // Sentence starts are capitalised.
        var capitalise = true
        for k in words.indices {
            if capitalise, let first = words[k].text.first {
                words[k].text = first.uppercased() + words[k].text.dropFirst()
            }
            capitalise = words[k].text.hasSuffix(".")
        }
        return words.map(\.text).joined(separator: " ")
    }
}

/// The caption spoken: words grouped into utterances of 1–3, each word's duration
/// proportional to its length (as the aligner assumes), pauses between utterances and
/// sentences; the utterances as written (some untimed), and the mentions' tracing drawn.
private struct Speech {
    let words: [Word]
    var random: SplitMix64
    var starts: [Double] = []
    var ends: [Double] = []
    var utterances: [Utterance] = []
    /// When the last utterance and its pause end.
    var end = 0.0
    let configuration: SceneConfiguration

    init(words: [Word], random stream: SplitMix64, configuration: SceneConfiguration) {
        self.words = words
        self.random = stream
        self.configuration = configuration
        starts = [Double](repeating: 0, count: words.count)
        ends = [Double](repeating: 0, count: words.count)
        var utteranceRanges: [Range<Int>] = []
        var time = random.uniform(0.3, 2.0)
        var k = 0
        while k < words.count {
            let size = min([1, 2, 3][random.weighted([0.4, 0.42, 0.18])], words.count - k)
            let rate = random.uniform(0.055, 0.085)
            for j in k..<(k + size) {
                starts[j] = time
                time += rate * Double(Narrator.letters(words[j].text))
                ends[j] = time
            }
            utteranceRanges.append(k..<(k + size))
            time += words[k + size - 1].text.hasSuffix(".") ? random.uniform(0.3, 1.0) : random.uniform(0.0, 0.25)
            k += size
        }
        utterances = utteranceRanges.map { r -> Utterance in
            let raw = words[r].map(\.text).joined(separator: " ")
            let text = random.chance(0.85) ? Narrator.spoken(raw) : raw
            if random.chance(configuration.untimedUtteranceProbability) { return Utterance(text: text, start: 0, end: 0) }
            let start = (starts[r.lowerBound] * 10).rounded() / 10
            let end = (max(start + 0.1, ends[r.upperBound - 1]) * 10).rounded() / 10
            return Utterance(text: text, start: start, end: end)
        }
        end = time
    }

    /// Each mention's ground truth: its word, when it was said, how the mouse behaved.
    mutating func mentions(of mentionObjects: [(entry: Entry, plural: Bool)], classes: [SceneClass]) -> [SceneMention] {
        var mentions: [SceneMention] = []
        for (index, word) in words.enumerated() {
            guard let m = word.mention else { continue }
            let entry = mentionObjects[m].entry
            let roll = random.unit()
            let tracing: Tracing =
                roll < configuration.untracedProbability
                ? .none
                : roll < configuration.untracedProbability + configuration.misplacedProbability ? .elsewhere : .onObject
            mentions.append(
                SceneMention(
                    classValue: entry.classPosition + 1, className: classes[entry.classPosition].name, objects: entry.objects,
                    word: Narrator.spoken(word.text), wordIndex: index, start: starts[index], end: ends[index], tracing: tracing))
        }
        return mentions
    }
}
