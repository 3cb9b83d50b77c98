import Narratives

/// `classes.tsv`: one row per class in mask-value order, with its drawing parameters.
public enum ClassTable {
    public static let header = [
        "index", "name", "plural", "kind", "placement", "setting", "template", "mean_r", "mean_g", "mean_b", "instance_std", "pixel_std",
        "hue_jitter", "texture", "orientation", "scale", "amplitude", "secondary_mean", "secondary_texture", "size", "aspect",
    ]

    public static func text(_ classes: [SceneClass]) -> String {
        var lines = [
            "# Class values of masks/*.png (0 = void, never drawn). Colours are sRGB 0-255; scale is in pixels at 320 wide; angles in degrees.",
            header.joined(separator: "\t"),
        ]
        lines.append("0\tvoid\t\tvoid\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t")
        for (i, c) in classes.enumerated() {
            let a = c.appearance
            let secondary = c.secondary.map { s in "\(f(s.mean.x)),\(f(s.mean.y)),\(f(s.mean.z))" } ?? ""
            let secondaryTexture = c.secondary.map { s in s.texture.kind.rawValue } ?? ""
            let row: [String] = [
                String(i + 1), c.name, c.plural, c.placement.isStuff ? "stuff" : "thing", c.placement.label, c.setting.rawValue, c.template.rawValue,
                f(a.mean.x), f(a.mean.y), f(a.mean.z), f(a.instanceStd), f(a.pixelStd), f(a.hueJitter), a.texture.kind.rawValue,
                f(a.texture.orientation), f(a.texture.scale), f(a.texture.amplitude), secondary, secondaryTexture,
                "\(c.size.lowerBound)-\(c.size.upperBound)", "\(c.aspect.lowerBound)-\(c.aspect.upperBound)",
            ]
            lines.append(row.joined(separator: "\t"))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func f(_ v: Float) -> String {
        v == v.rounded() ? String(Int(v)) : String(v)
    }
}

/// One narrative as a JSONL line in the official Localized Narratives layout, serialised
/// as the released files are (Python `json.dumps` separators and number forms).
public enum NarrativeLine {
    public static func append(_ narrative: GeneratedNarrative, imageID: String, datasetID: String, to out: inout [UInt8]) {
        func raw(_ s: String) { out.append(contentsOf: s.utf8) }
        raw("{\"dataset_id\": ")
        string(datasetID, &out)
        raw(", \"image_id\": ")
        string(imageID, &out)
        raw(", \"annotator_id\": \(narrative.annotatorID), \"caption\": ")
        string(narrative.caption, &out)
        raw(", \"timed_caption\": [")
        for (i, u) in narrative.utterances.enumerated() {
            if i > 0 { raw(", ") }
            raw("{\"utterance\": ")
            string(u.text, &out)
            raw(", \"start_time\": ")
            number(u.start, decimals: 1, &out)
            raw(", \"end_time\": ")
            number(u.end, decimals: 1, &out)
            raw("}")
        }
        raw("], \"traces\": [")
        for (i, segment) in narrative.traces.enumerated() {
            if i > 0 { raw(", ") }
            raw("[")
            for (j, p) in segment.enumerated() {
                if j > 0 { raw(", ") }
                raw("{\"x\": ")
                number(Double(p.x), decimals: 4, &out)
                raw(", \"y\": ")
                number(Double(p.y), decimals: 4, &out)
                raw(", \"t\": ")
                number(Double(p.t), decimals: 3, &out)
                raw("}")
            }
            raw("]")
        }
        raw("], \"voice_recording\": ")
        string("\(datasetID)/\(datasetID)_\(imageID)_\(narrative.annotatorID).ogg", &out)
        raw("}\n")
    }

    /// `v` rounded to `decimals`, written like Python's float repr for such values
    /// ("0.5", "1.0", "-0.0123"); no exponent form is needed at these magnitudes.
    static func number(_ v: Double, decimals: Int, _ out: inout [UInt8]) {
        var scale = 1
        for _ in 0..<decimals { scale *= 10 }
        var q = Int((v * Double(scale)).rounded())
        if q < 0 {
            out.append(UInt8(ascii: "-"))
            q = -q
        }
        out.append(contentsOf: String(q / scale).utf8)
        out.append(UInt8(ascii: "."))
        var fraction = String(q % scale)
        fraction = String(repeating: "0", count: decimals - fraction.count) + fraction
        while fraction.count > 1, fraction.hasSuffix("0") { fraction.removeLast() }
        out.append(contentsOf: fraction.utf8)
    }

    /// A JSON string; captions are ASCII, but anything else is escaped correctly too.
    static func string(_ s: String, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out.append(contentsOf: "\\\"".utf8)
            case "\\": out.append(contentsOf: "\\\\".utf8)
            case "\n": out.append(contentsOf: "\\n".utf8)
            case "\t": out.append(contentsOf: "\\t".utf8)
            case "\r": out.append(contentsOf: "\\r".utf8)
            default:
                if scalar.value < 0x20 || scalar.value >= 0x7F {
                    // Python's ensure_ascii: \uXXXX, surrogate pairs above the BMP.
                    func hex(_ v: UInt32) {
                        let h = String(v, radix: 16)
                        out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - h.count) + h).utf8)
                    }
                    if scalar.value > 0xFFFF {
                        let v = scalar.value - 0x10000
                        hex(0xD800 + (v >> 10))
                        hex(0xDC00 + (v & 0x3FF))
                    } else {
                        hex(scalar.value)
                    }
                } else {
                    out.append(UInt8(scalar.value))
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
