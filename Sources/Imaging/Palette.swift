/// Distinct, saturated colours for object classes, the same on every run.
///
/// Colour `i` takes its hue from the golden-angle sequence (i · 137.5°, starting at red),
/// which keeps consecutive classes far apart on the colour wheel however many there are, and
/// cycles through five saturation/brightness levels, so two classes whose hues come close
/// (i and i + 13, 21 or 34 — Fibonacci steps of the sequence, none a multiple of five) still
/// differ in lightness. The first 8 colours are at least 80 apart in RGB (Euclidean, 0–255
/// per channel), the first 40 at least 40; beyond that some pairs become similar, as with
/// any fixed palette.
public enum Palette {
    /// The colour for negative class indices ("no class"): a neutral grey.
    public static let unassigned = Color(red: 150, green: 150, blue: 150)

    /// (saturation, value) levels in HSV, cycled with the class index. The first is the most
    /// vivid, so figures with few classes look saturated.
    /// None is darker than 0.65, so every colour still shows on a dimmed photo.
    static let levels: [(saturation: Double, value: Double)] = [
        (0.85, 1.0), (1.0, 0.95), (0.6, 1.0), (0.9, 0.65), (0.7, 0.8),
    ]

    /// The fraction of a turn between consecutive hues: 1 − 1/φ, the golden angle.
    static let goldenTurn = 0.381_966_011_250_105_1

    /// The first `count` class colours (none for a count below 1).
    public static func colors(count: Int) -> [Color] {
        (0..<max(count, 0)).map(color)
    }

    /// The colour of class `index`: the same as `colors(count:)[index]`; `unassigned` when
    /// the index is negative.
    public static func color(_ index: Int) -> Color {
        guard index >= 0 else { return unassigned }
        let turn = (Double(index) * goldenTurn).truncatingRemainder(dividingBy: 1)
        let level = levels[index % levels.count]
        return hsv(hue: turn, saturation: level.saturation, value: level.value)
    }

    /// The sRGB colour of an HSV triple, each in [0, 1] (hue as a fraction of a turn).
    static func hsv(hue: Double, saturation: Double, value: Double) -> Color {
        let h = (hue - hue.rounded(.down)) * 6
        let sector = Int(h.rounded(.down)) % 6
        let f = h - h.rounded(.down)
        let p = value * (1 - saturation)
        let q = value * (1 - saturation * f)
        let t = value * (1 - saturation * (1 - f))
        let (r, g, b): (Double, Double, Double)
        switch sector {
        case 0: (r, g, b) = (value, t, p)
        case 1: (r, g, b) = (q, value, p)
        case 2: (r, g, b) = (p, value, t)
        case 3: (r, g, b) = (p, q, value)
        case 4: (r, g, b) = (t, p, value)
        default: (r, g, b) = (value, p, q)
        }
        func byte(_ v: Double) -> UInt8 { UInt8(min(max((v * 255).rounded(), 0), 255)) }
        return Color(red: byte(r), green: byte(g), blue: byte(b))
    }
}
