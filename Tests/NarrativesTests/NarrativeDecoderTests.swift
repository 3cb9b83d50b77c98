import Testing

@testable import Narratives

/// A realistic Open Images narrative line in the official schema.
let validLine = #"""
    {"dataset_id": "open_images_train_v6", "image_id": "0a0f9c7d2e1b3c44", "annotator_id": 93, "caption": "In this image we can see a woman holding an umbrella. In the background there are trees.", "timed_caption": [{"utterance": "In this image", "start_time": 0.8, "end_time": 1.9}, {"utterance": "we can see", "start_time": 1.9, "end_time": 2.6}, {"utterance": "a woman", "start_time": 2.7, "end_time": 3.4}, {"utterance": "holding", "start_time": 3.4, "end_time": 3.9}, {"utterance": "an umbrella.", "start_time": 3.9, "end_time": 4.8}, {"utterance": "In the background", "start_time": 5.2, "end_time": 6.3}, {"utterance": "there are trees.", "start_time": 6.3, "end_time": 7.4}], "traces": [[{"x": 0.4211, "y": 0.5563, "t": 2.612}, {"x": 0.4302, "y": 0.5771, "t": 2.679}, {"x": 0.4455, "y": 0.6012, "t": 2.745}, {"x": 0.4613, "y": 0.6230, "t": 2.812}], [{"x": 0.6021, "y": 0.2054, "t": 3.945}, {"x": 0.6230, "y": 0.1899, "t": 4.012}, {"x": 1.0213, "y": 0.1732, "t": 4.079}]], "voice_recording": "open_images_train_v6/open_images_train_v6_0a0f9c7d2e1b3c44_93.ogg"}
    """#

func decode(_ text: String) throws(JSONError) -> Narrative {
    var bytes = Array(text.utf8)
    return try bytes.withUnsafeMutableBufferPointer { b throws(JSONError) in try NarrativeDecoder.decode(UnsafeBufferPointer(b)) }
}

func rejection(_ text: String) -> JSONError? {
    do {
        _ = try decode(text)
        return nil
    } catch {
        return error
    }
}

/// `validLine` with `old` replaced by `new` (which must occur).
func edited(_ old: String, _ new: String) -> String {
    precondition(validLine.contains(old), "fixture lacks \(old)")
    return validLine.replacingOccurrences(of: old, with: new)
}

@Suite struct NarrativeDecoderTests {
    /// Points in the released files' exact layout take a byte-template path; compact JSON,
    /// other spacing and other key orders take the general ones. All decode alike.
    @Test func pointLayoutsDecodeAlike() throws {
        let reference = try decode(validLine)
        let compact = validLine.replacingOccurrences(of: "\": ", with: "\":").replacingOccurrences(of: ", ", with: ",")
        let spaced = validLine.replacingOccurrences(of: "{\"x\": ", with: "{ \"x\" :  ")
        let reordered = validLine.replacing(#/\{"x": ([0-9.]+), "y": ([0-9.]+), "t": ([0-9.]+)\}/#) { m in
            "{\"t\": \(m.3), \"x\": \(m.1), \"y\": \(m.2)}"
        }
        let utterancesReordered = validLine.replacing(#/\{"utterance": ("[^"]*"), "start_time": ([0-9.]+), "end_time": ([0-9.]+)\}/#) { m in
            "{\"end_time\": \(m.3), \"utterance\": \(m.1), \"start_time\": \(m.2)}"
        }
        #expect(reordered != validLine && compact != validLine && spaced != validLine && utterancesReordered != validLine)
        for line in [compact, spaced, reordered, utterancesReordered] {
            let n = try decode(line)
            #expect(n.traces == reference.traces)
            #expect(n.utterances == reference.utterances)
        }
        // Utterances in the template layout: escapes are decoded, bad values still rejected.
        let escaped = try decode(edited(#""utterance": "a woman""#, #""utterance": "a \"woman\"""#))
        #expect(escaped.utterances[2].text == "a \"woman\"")
        #expect(rejection(edited(#""start_time": 2.7"#, #""start_time": "2.7""#))?.field == "timed_caption[2].start_time")
        #expect(rejection(edited(#""end_time": 3.4}"#, #""end_time": 3.4, "end_time": 3.5}"#))?.field == "timed_caption[2].end_time")
        // Malformed text inside the template is still rejected, with its place.
        #expect(rejection(edited(#""x": 0.4302"#, #""x": 0.43.02"#))?.field == "traces[0][1]")
        #expect(rejection(edited(#""y": 0.5771"#, #""y": 05771"#))?.field == "traces[0][1].y")
        #expect(rejection(edited(#""t": 2.679}"#, #""t": 2.679]"#)) != nil)
    }

    @Test func decodesEveryField() throws {
        let n = try decode(validLine)
        #expect(n.key == .init(datasetID: "open_images_train_v6", imageID: "0a0f9c7d2e1b3c44", annotatorID: 93))
        #expect(n.caption.hasPrefix("In this image we can see a woman"))
        #expect(n.utterances.count == 7)
        #expect(n.utterances[2] == Utterance(text: "a woman", start: 2.7, end: 3.4))
        #expect(n.traces.segmentLengths == [4, 3])
        #expect(n.traces.points[1] == TracePoint(x: 0.4302, y: 0.5771, t: 2.679))
        #expect(n.hasTraces)
        #expect(n.voiceRecording == "open_images_train_v6/open_images_train_v6_0a0f9c7d2e1b3c44_93.ogg")
    }

    // MARK: Valid oddities of real files

    @Test func recordWithoutTracesIsValid() throws {
        let line = validLine.replacing(#/"traces": \[\[.*\]\], /#, with: "")
        let n = try decode(line)
        #expect(!n.hasTraces)
        #expect(n.traces.points.isEmpty)
    }

    @Test func untimedUtterancesAreValid() throws {
        let n = try decode(edited(#""start_time": 5.2, "end_time": 6.3"#, #""start_time": 0, "end_time": 0"#))
        #expect(!n.utterances[5].isTimed)
    }

    @Test func coordinatesInTheBandAroundTheImageAreValid() throws {
        let n = try decode(edited(#""x": 0.4211"#, #""x": -0.0312"#))
        #expect(n.traces.points[0].x == -0.0312)
        #expect(!n.traces.points[0].isOnImage)
        #expect(n.traces.points.filter { $0.isOnImage }.count == 5)
    }

    @Test func unknownFieldsAreIgnoredAfterValidation() throws {
        let n = try decode(edited(#""annotator_id": 93,"#, #""annotator_id": 93, "extra": {"nested": [1, 2.5e-3, null, true, "\u00e9"]},"#))
        #expect(n.key.annotatorID == 93)
        #expect(rejection(edited(#""annotator_id": 93,"#, #""annotator_id": 93, "extra": [1, 2,],"#)) != nil)
    }

    @Test func stringsAreDecodedAsJSONDoes() throws {
        let n = try decode(
            edited(
                #""In this image we can see a woman"#,
                #""In this image we can see a \"caf\u00e9\" sign, a \ud83d\udc15 and a woman\/girl\n"#))
        #expect(n.caption.hasPrefix("In this image we can see a \"café\" sign, a 🐕 and a woman/girl\n"))
    }

    @Test func aKeyNamesItsDatasetOnce() {
        #expect(Narrative.Key(datasetID: "coco", imageID: "42", annotatorID: 3).description == "coco/42/3")
        #expect(Narrative.Key(datasetID: "oops_train", imageID: "oops_train/v1/12", annotatorID: 7001).description == "oops_train/v1/12/7001")
    }

    @Test func everyNumberFormIsRead() throws {
        let n = try decode(edited(#""x": 0.4211, "y": 0.5563, "t": 2.612"#, #""x": 4211E-4, "y": 5.563e-1, "t": 2612e-3"#))
        #expect(n.traces.points[0] == TracePoint(x: 0.4211, y: 0.5563, t: 2.612))
        // An integer field takes integers as written: 93 and 93.0, not an exponent form.
        #expect(try decode(edited(#""annotator_id": 93"#, #""annotator_id": 93.00"#)).key.annotatorID == 93)
        #expect(rejection(edited(#""annotator_id": 93"#, #""annotator_id": 9.3e1"#))?.reason == "expected an integer, found 9.3e1")
    }

    @Test func escapedKeysMatchFieldNames() throws {
        let n = try decode(edited(#""caption""#, #""\u0063aption""#))
        #expect(n.caption.hasPrefix("In this image"))
    }

    // MARK: Rejections

    @Test func malformedJSONIsRejectedWithItsColumn() throws {
        let truncated = String(validLine.prefix(200))
        let e = try #require(rejection(truncated))
        #expect(e.offset == 200)
        let bad = try #require(rejection(edited(#""annotator_id": 93,"#, #""annotator_id": 93,,"#)))
        #expect(bad.reason.contains("expected an object key"))
        #expect(rejection("[" + validLine + "]")?.reason == "a narrative must be a JSON object")
        #expect(rejection(validLine + " x") != nil)
    }

    @Test(arguments: [
        (#""annotator_id": 93"#, #""annotator_id": "93""#, "annotator_id", "expected a number, found a string"),
        (#""annotator_id": 93"#, #""annotator_id": 93.5"#, "annotator_id", "expected an integer, found 93.5"),
        (#""image_id": "0a0f9c7d2e1b3c44""#, #""image_id": 12345"#, "image_id", "expected a string, found a number"),
        (#""caption": "In this image"#, #""caption": ["In this image"#, "caption", "expected a string, found an array"),
        (#""x": 0.4302"#, #""x": "0.4302""#, "traces[0][1].x", "expected a number, found a string"),
        (#""t": 4.012"#, #""t": null"#, "traces[1][1].t", "expected a number, found null"),
        (
            #""start_time": 1.9, "end_time": 2.6"#, #""start_time": true, "end_time": 2.6"#, "timed_caption[1].start_time",
            "expected a number, found a bool"
        ),
        (#""traces": [["#, #""traces": {"a": [["#, "traces", "expected an array, found an object"),
    ])
    func wrongTypesNameTheField(old: String, new: String, field: String, reason: String) throws {
        let e = try #require(rejection(edited(old, new)))
        #expect(e.field == field)
        #expect(e.reason == reason)
    }

    @Test(arguments: [
        (#""dataset_id": "open_images_train_v6", "#, "dataset_id"),
        (#""image_id": "0a0f9c7d2e1b3c44", "#, "image_id"),
        (#""annotator_id": 93, "#, "annotator_id"),
        (#", "y": 0.6012"#, "traces[0][2].y"),
        (#""utterance": "holding", "#, "timed_caption[3].utterance"),
        (#", "end_time": 7.4"#, "timed_caption[6].end_time"),
    ])
    func missingRequiredFieldsAreNamed(_ removed: String, field: String) throws {
        let e = try #require(rejection(edited(removed, "")))
        #expect(e.field == field)
        #expect(e.reason == "required field is missing")
    }

    @Test func missingCaptionAndTimedCaption() throws {
        let noCaption = validLine.replacing(#/"caption": "[^"]*", /#, with: "")
        #expect(rejection(noCaption)?.field == "caption")
        let noTimed = validLine.replacing(#/"timed_caption": \[.*?\], "traces"/#, with: #""traces""#)
        #expect(rejection(noTimed)?.field == "timed_caption")
    }

    @Test(arguments: ["NaN", "Infinity", "-Infinity", "1e999", "-1e400", "nan"])
    func nonFiniteNumbersAreRejected(_ number: String) throws {
        let e = try #require(rejection(edited(#""x": 0.4455"#, #""x": \#(number)"#)))
        #expect(e.reason.contains("invalid") || e.reason.contains("out of range") || e.reason.contains("expected"), "\(e)")
    }

    @Test func aCoordinateBeyondFloatRangeIsRejected() throws {
        let e = try #require(rejection(edited(#""y": 0.6012"#, #""y": 1e300"#)))
        #expect(e.field == "traces[0][2].y")
        #expect(e.reason.contains("32-bit"))
    }

    @Test func timeGoingBackwardsInsideASegmentIsRejected() throws {
        let e = try #require(rejection(edited(#""t": 2.745"#, #""t": 2.5"#)))
        #expect(e.field == "traces[0][2].t")
        #expect(e.reason.hasPrefix("time goes backwards within a trace segment"))
        // Across segments time may restart: the second segment is checked on its own.
        #expect(rejection(edited(#""t": 3.945"#, #""t": 1.0"#)) == nil)
    }

    @Test(arguments: [#""caption": """#, #""caption": "  \n ""#])
    func emptyCaptionIsRejected(_ caption: String) throws {
        let line = validLine.replacing(#/"caption": "[^"]*"/#, with: caption)
        let e = try #require(rejection(line))
        #expect(e.field == "caption")
        #expect(e.reason == "caption is empty")
    }

    @Test func aFieldGivenTwiceIsRejected() throws {
        let e = try #require(rejection(edited(#""annotator_id": 93,"#, #""annotator_id": 93, "annotator_id": 94,"#)))
        #expect(e.field == "annotator_id")
        #expect(e.reason == "field given twice")
    }

    @Test func unpairedSurrogatesAndInvalidUTF8AreRejected() throws {
        #expect(rejection(edited("a woman holding", #"a \ud83d woman holding"#))?.reason.contains("surrogate") == true)
        var bytes = Array(validLine.utf8)
        let at = bytes.firstIndex(of: UInt8(ascii: "w"))!
        bytes[at] = 0xC0
        let e = bytes.withUnsafeBufferPointer { b in Result { () throws(JSONError) in try NarrativeDecoder.decode(b) } }
        guard case .failure(let error) = e else {
            Issue.record("accepted invalid UTF-8")
            return
        }
        #expect(error.reason.contains("UTF-8"))
        #expect(error.offset == at)
    }
}
