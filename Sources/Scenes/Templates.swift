import Foundation
import Support

/// One part of an instance's outline in its unit box, and which of the class's appearances
/// colours it (0 = `appearance`, 1 = `secondary`).
struct Part {
    var outline: Outline
    var appearance: Int
}

extension Template {
    /// The parts of one instance in a unit box (x right, y down, the base at y = 1). `aspect`
    /// (width / height of the box) lets round things stay round. A table of shapes, one case
    /// per template: long as a table is, not as logic.
    func parts(aspect: Float, random: inout SplitMix64) -> [Part] {
        func p(_ contours: [Point]..., appearance: Int = 0) -> Part {
            Part(outline: Outline(contours), appearance: appearance)
        }
        // Vertical radius that looks like `r` horizontally.
        func ry(_ r: Float) -> Float { r * aspect }
        func jitter(_ v: Float, _ amount: Float = 0.03) -> Float { v + Float(random.uniform(-Double(amount), Double(amount))) }

        switch self {
        case .ellipse:
            return [p(Shapes.ellipse(0.5, 0.5, 0.5, 0.5))]
        case .rectangle:
            return [p(Shapes.rect(0, 0, 1, 1))]
        case .polygon:
            return [p(Shapes.polygon(random: &random))]
        case .blob:
            return [p(Shapes.blob(0.5, 0.55, 0.46, 0.42, roughness: 0.18, random: &random))]
        case .tree:
            let trunkWidth = jitter(0.12, 0.03)
            let trunk = p(Shapes.rect(0.5 - trunkWidth / 2, 0.5, 0.5 + trunkWidth / 2, 1), appearance: 1)
            if random.chance(0.3) {
                // A conifer.
                return [trunk, p([Point(0.5, 0), Point(0.98, 0.82), Point(0.02, 0.82)])]
            }
            return [trunk, p(Shapes.blob(0.5, 0.36, 0.48, 0.34, roughness: 0.22, random: &random))]
        case .person:
            let headX = jitter(0.5, 0.04)
            let armDrop = jitter(0.55, 0.1)
            return [
                p(Shapes.rect(0.27, 0.55, 0.47, 1), Shapes.rect(0.53, 0.55, 0.73, 1)),
                p([Point(0.18, 0.19), Point(0.82, 0.19), Point(0.76, 0.6), Point(0.24, 0.6)]),
                p(
                    Shapes.bar(Point(0.2, 0.22), Point(0.06, armDrop), width: 0.16),
                    Shapes.bar(Point(0.8, 0.22), Point(0.94, jitter(0.55, 0.1)), width: 0.16)),
                p(Shapes.ellipse(headX, 0.1, 0.17, 0.1), appearance: 1),
            ]
        case .vehicle:
            let wheelR: Float = 0.11
            return [
                p(Shapes.rect(0, 0.36, 1, jitter(0.84, 0.02))),
                p([Point(0.18, 0.37), Point(jitter(0.3), 0.04), Point(jitter(0.7), 0.04), Point(0.86, 0.37)]),
                p([Point(0.26, 0.34), Point(0.33, 0.09), Point(0.67, 0.09), Point(0.78, 0.34)], appearance: 1),
                p(Shapes.ellipse(0.22, 0.84, wheelR, ry(wheelR)), Shapes.ellipse(0.78, 0.84, wheelR, ry(wheelR)), appearance: 1),
            ]
        case .bus:
            let wheelR: Float = 0.06
            return [
                p(Shapes.rect(0, 0.04, 1, 0.88)),
                p(Shapes.rect(0.04, 0.14, 0.96, 0.46), appearance: 1),
                p(Shapes.ellipse(0.16, 0.88, wheelR, ry(wheelR)), Shapes.ellipse(0.84, 0.88, wheelR, ry(wheelR)), appearance: 1),
            ]
        case .quadruped:
            let tall = aspect < 1
            let headY: Float = tall ? 0.08 : jitter(0.24, 0.06)
            let bodyY: Float = tall ? 0.55 : 0.45
            let bodyH: Float = tall ? 0.13 : 0.2
            var parts = [
                p(Shapes.ellipse(0.47, bodyY, 0.36, bodyH)),
                p(Shapes.bar(Point(0.74, bodyY - 0.05), Point(0.86, headY + 0.04), width: tall ? 0.12 : 0.16)),
                p(Shapes.ellipse(0.86, headY, 0.12, ry(0.09))),
                p(Shapes.bar(Point(0.12, bodyY - 0.06), Point(0.02, bodyY + 0.2), width: 0.05)),
            ]
            for x in [Float(0.2), 0.34, 0.6, 0.72] {
                parts.append(p(Shapes.bar(Point(x, bodyY), Point(jitter(x, 0.04), 1), width: 0.08)))
            }
            return parts
        case .bicycle:
            let r: Float = 0.2
            let wheels = p(
                Shapes.ellipse(0.2, 0.72, r, ry(r) * 0.8), Shapes.ellipse(0.2, 0.72, r * 0.8, ry(r) * 0.64),
                Shapes.ellipse(0.8, 0.72, r, ry(r) * 0.8), Shapes.ellipse(0.8, 0.72, r * 0.8, ry(r) * 0.64), appearance: 1)
            let w: Float = 0.05
            return [
                wheels,
                p(Shapes.bar(Point(0.2, 0.72), Point(0.45, 0.72), width: w), Shapes.bar(Point(0.45, 0.72), Point(0.72, 0.38), width: w)),
                p(Shapes.bar(Point(0.35, 0.38), Point(0.72, 0.38), width: w), Shapes.bar(Point(0.2, 0.72), Point(0.35, 0.38), width: w)),
                p(Shapes.bar(Point(0.35, 0.38), Point(0.45, 0.72), width: w), Shapes.bar(Point(0.72, 0.3), Point(0.8, 0.72), width: w)),
                p(Shapes.rect(0.28, 0.3, 0.42, 0.36), Shapes.rect(0.66, 0.26, 0.78, 0.31)),
            ]
        case .umbrella:
            var canopy: [Point] = []
            for i in 0...24 {
                let a = Float.pi + Float(i) / 24 * .pi
                canopy.append(Point(0.5 + 0.5 * cos(a), 0.38 + 0.34 * sin(a)))
            }
            return [p(canopy), p(Shapes.bar(Point(0.5, 0.37), Point(0.5, 1), width: 0.04), appearance: 1)]
        case .legged:
            var parts = [p(Shapes.rect(0, 0.3, 1, jitter(0.55, 0.05)))]
            if random.chance(0.5) { parts.append(p(Shapes.rect(0.02, 0, 0.98, 0.32))) }
            parts.append(p(Shapes.rect(0.04, 0.5, 0.12, 1), Shapes.rect(0.88, 0.5, 0.96, 1)))
            return parts
        case .pole:
            var parts = [p(Shapes.rect(0.3, 0, 0.7, 1))]
            if random.chance(0.4) { parts.append(p(Shapes.rect(0, 0.02, 1, 0.05))) }
            return parts
        case .bird:
            return [
                p(Shapes.ellipse(0.45, 0.58, 0.34, 0.22)),
                p(Shapes.ellipse(0.8, 0.38, 0.13, ry(0.1))),
                p([Point(0.3, 0.55), Point(jitter(0.5, 0.1), 0.05), Point(0.62, 0.55)]),
                p([Point(0.14, 0.55), Point(0, 0.45), Point(0, 0.72)]),
            ]
        case .cloud:
            let n = random.int(3...6)
            var lobes: [Part] = []
            for i in 0..<n {
                let x = 0.15 + 0.7 * Float(i) / Float(max(n - 1, 1))
                lobes.append(p(Shapes.ellipse(jitter(x, 0.05), jitter(0.55, 0.1), jitter(0.2, 0.05), jitter(0.32, 0.08))))
            }
            return lobes
        case .kite:
            return [
                p([Point(0.5, 0), Point(1, 0.35), Point(0.5, 0.75), Point(0, 0.35)]),
                p(Shapes.bar(Point(0.5, 0.75), Point(jitter(0.45, 0.1), 1), width: 0.04)),
            ]
        case .tent:
            let top = jitter(0.5, 0.05)
            return [p([Point(top - 0.04, 0), Point(top + 0.04, 0), Point(1, 1), Point(0, 1)])]
        case .house:
            return [
                p(Shapes.rect(0.06, 0.42, 0.94, 1)),
                p([Point(0, 0.44), Point(jitter(0.5, 0.05), 0), Point(1, 0.44)], appearance: 1),
            ]
        case .boat:
            var parts = [p([Point(0, 0.5), Point(1, 0.5), Point(0.84, 1), Point(0.14, 1)])]
            parts.append(p(Shapes.rect(jitter(0.3), 0.25, jitter(0.65), 0.52)))
            if random.chance(0.4) { parts.append(p(Shapes.bar(Point(0.5, 0), Point(0.5, 0.5), width: 0.03))) }
            return parts
        case .bottle:
            if aspect > 0.7 {
                // A bucket: a trapezoid with a handle.
                return [p([Point(0, 0.15), Point(1, 0.15), Point(0.85, 1), Point(0.15, 1)])]
            }
            return [p(Shapes.rect(0.12, 0.35, 0.88, 1), Shapes.rect(0.36, 0, 0.64, 0.36))]
        case .lamp:
            return [
                p([Point(0.2, 0), Point(0.8, 0), Point(1, 0.3), Point(0, 0.3)]),
                p(Shapes.bar(Point(0.5, 0.3), Point(0.5, 0.94), width: 0.08), Shapes.ellipse(0.5, 0.96, 0.4, 0.04), appearance: 1),
            ]
        case .flag:
            return [p(Shapes.rect(0.08, 0, 1, 0.58)), p(Shapes.rect(0, 0, 0.07, 1))]
        case .tower:
            return [p(Shapes.rect(0.12, 0.14, 0.88, 1)), p([Point(0.04, 0.16), Point(0.5, 0), Point(0.96, 0.16)])]
        case .airplane:
            return [
                p(Shapes.ellipse(0.5, 0.55, 0.5, 0.16)),
                p([Point(0.42, 0.55), Point(0.56, 0.55), Point(0.4, 1), Point(0.32, 1)]),
                p([Point(0.04, 0.55), Point(0.12, 0.55), Point(0.06, 0.1), Point(0.01, 0.1)]),
            ]
        case .flower:
            var parts = [p(Shapes.bar(Point(0.5, 0.4), Point(jitter(0.5, 0.08), 1), width: 0.1))]
            for i in 0..<5 {
                let a = Float(i) / 5 * 2 * .pi
                parts.append(p(Shapes.ellipse(0.5 + 0.22 * cos(a), 0.3 + 0.22 * sin(a) * aspect, 0.16, ry(0.16))))
            }
            return parts
        }
    }
}
