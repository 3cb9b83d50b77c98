/// A small built-in pixel font for labels on figures: printable ASCII (32–126), each glyph
/// 5 pixels wide and 9 tall (7 above the baseline, 2 for descenders), drawn in a cell of
/// `cellWidth` × `cellHeight` so neighbouring glyphs and lines keep a pixel apart.
///
/// Any other character (accented letters, emoji, tabs) draws as '?'; a newline starts a new
/// line. There is no anti-aliasing: `scale` repeats each font pixel as a scale × scale block.
public enum BitmapFont {
    /// Horizontal advance of one character at scale 1 (5 glyph columns and 1 of spacing).
    public static let cellWidth = 6
    /// Line advance at scale 1 (9 glyph rows and 1 of spacing).
    public static let cellHeight = 10
    /// Rows of a glyph; row 6 is the last one above the baseline.
    public static let glyphRows = 9
    /// Columns of a glyph.
    public static let glyphColumns = 5
    /// The largest scale drawn; larger ones are clamped, so pixel arithmetic cannot overflow.
    public static let maxScale = 256

    /// The size in pixels of `text` drawn at `scale`: the longest line's characters times the
    /// cell width, and the number of lines times the cell height, each less the trailing
    /// spacing (one font pixel), so the box ends at the last inked column and the descender
    /// row. Empty text measures (0, 0); a scale below 1 counts as 1.
    public static func size(of text: String, scale: Int = 1) -> (width: Int, height: Int) {
        guard !text.isEmpty else { return (0, 0) }
        let s = clampedScale(scale)
        let lines = self.lines(of: text)
        let longest = lines.map(\.count).max() ?? 0
        let width = longest > 0 ? (longest * cellWidth - 1) * s : 0
        return (width, (lines.count * cellHeight - 1) * s)
    }

    /// The rows of the glyph drawn for `character`, top to bottom; bit 4 of each row is the
    /// leftmost column. Characters outside printable ASCII get the glyph of '?'.
    public static func glyph(for character: Character) -> [UInt8] {
        glyphs[index(of: character)]
    }

    /// The position of `character`'s glyph in `glyphs`.
    static func index(of character: Character) -> Int {
        // A Character may hold several scalars (e.g. "e" + combining accent); only a lone
        // printable ASCII scalar has its own glyph.
        let scalars = character.unicodeScalars
        if scalars.count == 1, let scalar = scalars.first, scalar.value >= 32, scalar.value <= 126 {
            return Int(scalar.value) - 32
        }
        return Int(Character("?").asciiValue ?? 63) - 32
    }

    /// `text` split at newlines (any of "\n", "\r\n", "\r"), empty lines kept.
    static func lines(of text: String) -> [[Character]] {
        var result: [[Character]] = [[]]
        for character in text {
            if character.isNewline {
                result.append([])
            } else {
                result[result.count - 1].append(character)
            }
        }
        return result
    }

    static func clampedScale(_ scale: Int) -> Int { min(max(scale, 1), maxScale) }

    /// Glyph rows for characters 32...126, decoded once from `designs`.
    static let glyphs: [[UInt8]] = designs.map(decode)

    /// Turns a design ("#" inked, anything else blank; rows separated by spaces) into row
    /// bits, padding or trimming to `glyphRows` rows of `glyphColumns` columns.
    static func decode(_ design: String) -> [UInt8] {
        var rows: [UInt8] = design.split(separator: " ").prefix(glyphRows).map { row in
            var bits: UInt8 = 0
            for (column, mark) in row.prefix(glyphColumns).enumerated() where mark == "#" {
                bits |= 1 << UInt8(glyphColumns - 1 - column)
            }
            return bits
        }
        while rows.count < glyphRows { rows.append(0) }
        return rows
    }

    /// The glyph designs, one per character from 32 (space) to 126 ('~'). Seven rows reach
    /// the baseline; the two descender rows are only written where a glyph uses them.
    /// Lower-case letters have a five-row x-height (rows 2–6).
    static let designs: [String] = [
        /*   */ "..... ..... ..... ..... ..... ..... .....",
        /* ! */ "..#.. ..#.. ..#.. ..#.. ..#.. ..... ..#..",
        /* " */ ".#.#. .#.#. .#.#. ..... ..... ..... .....",
        /* # */ ".#.#. .#.#. ##### .#.#. ##### .#.#. .#.#.",
        /* $ */ "..#.. .#### #.#.. .###. ..#.# ####. ..#..",
        /* % */ "##..# ##..# ...#. ..#.. .#... #..## #..##",
        /* & */ ".##.. #..#. #.#.. .#... #.#.# #..#. .##.#",
        /* ' */ "..#.. ..#.. .#... ..... ..... ..... .....",
        /* ( */ "...#. ..#.. .#... .#... .#... ..#.. ...#.",
        /* ) */ ".#... ..#.. ...#. ...#. ...#. ..#.. .#...",
        /* * */ "..... ..#.. #.#.# .###. #.#.# ..#.. .....",
        /* + */ "..... ..#.. ..#.. ##### ..#.. ..#.. .....",
        /* , */ "..... ..... ..... ..... ..... ..##. ..##. ...#. ..#..",
        /* - */ "..... ..... ..... .###. ..... ..... .....",
        /* . */ "..... ..... ..... ..... ..... .##.. .##..",
        /* / */ "..... ....# ...#. ..#.. .#... #.... .....",
        /* 0 */ ".###. #...# #..## #.#.# ##..# #...# .###.",
        /* 1 */ "..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.",
        /* 2 */ ".###. #...# ....# ...#. ..#.. .#... #####",
        /* 3 */ "##### ...#. ..#.. ...#. ....# #...# .###.",
        /* 4 */ "...#. ..##. .#.#. #..#. ##### ...#. ...#.",
        /* 5 */ "##### #.... ####. ....# ....# #...# .###.",
        /* 6 */ "..##. .#... #.... ####. #...# #...# .###.",
        /* 7 */ "##### ....# ...#. ..#.. .#... .#... .#...",
        /* 8 */ ".###. #...# #...# .###. #...# #...# .###.",
        /* 9 */ ".###. #...# #...# .#### ....# ...#. .##..",
        /* : */ "..... .##.. .##.. ..... .##.. .##.. .....",
        /* ; */ "..... .##.. .##.. ..... .##.. .##.. ..#.. .#...",
        /* < */ "...#. ..#.. .#... #.... .#... ..#.. ...#.",
        /* = */ "..... ..... ##### ..... ##### ..... .....",
        /* > */ ".#... ..#.. ...#. ....# ...#. ..#.. .#...",
        /* ? */ ".###. #...# ....# ...#. ..#.. ..... ..#..",
        /* @ */ ".###. #...# ....# .##.# #.#.# #.#.# .###.",
        /* A */ ".###. #...# #...# ##### #...# #...# #...#",
        /* B */ "####. #...# #...# ####. #...# #...# ####.",
        /* C */ ".###. #...# #.... #.... #.... #...# .###.",
        /* D */ "###.. #..#. #...# #...# #...# #..#. ###..",
        /* E */ "##### #.... #.... ####. #.... #.... #####",
        /* F */ "##### #.... #.... ####. #.... #.... #....",
        /* G */ ".###. #...# #.... #.### #...# #...# .####",
        /* H */ "#...# #...# #...# ##### #...# #...# #...#",
        /* I */ ".###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.",
        /* J */ "..### ...#. ...#. ...#. ...#. #..#. .##..",
        /* K */ "#...# #..#. #.#.. ##... #.#.. #..#. #...#",
        /* L */ "#.... #.... #.... #.... #.... #.... #####",
        /* M */ "#...# ##.## #.#.# #.#.# #...# #...# #...#",
        /* N */ "#...# #...# ##..# #.#.# #..## #...# #...#",
        /* O */ ".###. #...# #...# #...# #...# #...# .###.",
        /* P */ "####. #...# #...# ####. #.... #.... #....",
        /* Q */ ".###. #...# #...# #...# #.#.# #..#. .##.#",
        /* R */ "####. #...# #...# ####. #.#.. #..#. #...#",
        /* S */ ".#### #.... #.... .###. ....# ....# ####.",
        /* T */ "##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..",
        /* U */ "#...# #...# #...# #...# #...# #...# .###.",
        /* V */ "#...# #...# #...# #...# #...# .#.#. ..#..",
        /* W */ "#...# #...# #...# #.#.# #.#.# #.#.# .#.#.",
        /* X */ "#...# #...# .#.#. ..#.. .#.#. #...# #...#",
        /* Y */ "#...# #...# .#.#. ..#.. ..#.. ..#.. ..#..",
        /* Z */ "##### ....# ...#. ..#.. .#... #.... #####",
        /* [ */ ".###. .#... .#... .#... .#... .#... .###.",
        /* \ */ "..... #.... .#... ..#.. ...#. ....# .....",
        /* ] */ ".###. ...#. ...#. ...#. ...#. ...#. .###.",
        /* ^ */ "..#.. .#.#. #...# ..... ..... ..... .....",
        /* _ */ "..... ..... ..... ..... ..... ..... ..... #####",
        /* ` */ ".#... ..#.. ...#. ..... ..... ..... .....",
        /* a */ "..... ..... .###. ....# .#### #...# .####",
        /* b */ "#.... #.... #.##. ##..# #...# #...# ####.",
        /* c */ "..... ..... .###. #.... #.... #...# .###.",
        /* d */ "....# ....# .##.# #..## #...# #...# .####",
        /* e */ "..... ..... .###. #...# ##### #.... .###.",
        /* f */ "..##. .#..# .#... ###.. .#... .#... .#...",
        /* g */ "..... ..... .#### #...# #...# #...# .#### ....# .###.",
        /* h */ "#.... #.... #.##. ##..# #...# #...# #...#",
        /* i */ "..#.. ..... .##.. ..#.. ..#.. ..#.. .###.",
        /* j */ "...#. ..... ..##. ...#. ...#. ...#. ...#. #..#. .##..",
        /* k */ "#.... #.... #..#. #.#.. ##... #.#.. #..#.",
        /* l */ ".##.. ..#.. ..#.. ..#.. ..#.. ..#.. .###.",
        /* m */ "..... ..... ##.#. #.#.# #.#.# #.#.# #.#.#",
        /* n */ "..... ..... #.##. ##..# #...# #...# #...#",
        /* o */ "..... ..... .###. #...# #...# #...# .###.",
        /* p */ "..... ..... ####. #...# #...# #...# ####. #.... #....",
        /* q */ "..... ..... .#### #...# #...# #...# .#### ....# ....#",
        /* r */ "..... ..... #.##. ##..# #.... #.... #....",
        /* s */ "..... ..... .#### #.... .###. ....# ####.",
        /* t */ ".#... .#... ###.. .#... .#... .#..# ..##.",
        /* u */ "..... ..... #...# #...# #...# #..## .##.#",
        /* v */ "..... ..... #...# #...# #...# .#.#. ..#..",
        /* w */ "..... ..... #...# #...# #.#.# #.#.# .#.#.",
        /* x */ "..... ..... #...# .#.#. ..#.. .#.#. #...#",
        /* y */ "..... ..... #...# #...# #...# #...# .#### ....# .###.",
        /* z */ "..... ..... ##### ...#. ..#.. .#... #####",
        /* { */ "...#. ..#.. ..#.. .#... ..#.. ..#.. ...#.",
        /* | */ "..#.. ..#.. ..#.. ..#.. ..#.. ..#.. ..#..",
        /* } */ ".#... ..#.. ..#.. ...#. ..#.. ..#.. .#...",
        /* ~ */ "..... ..... .#... #.#.# ...#. ..... .....",
    ]
}

extension Image {
    /// Draws `text` in the built-in `BitmapFont` with its top-left corner at pixel (x, y),
    /// each font pixel a `scale` × `scale` block of `color` (a scale below 1 counts as 1).
    /// With a `background`, the text's box (`BitmapFont.size(of:scale:)`) is filled first, so
    /// labels stay readable over a photo. Parts outside the image are clipped.
    public mutating func drawText(_ text: String, x: Int, y: Int, color: Color, scale: Int = 1, background: Color? = nil) {
        let s = BitmapFont.clampedScale(scale)
        // Text only extends right and down, so starting past the far edge draws nothing; this
        // also keeps the offsets below from overflowing for extreme positions.
        guard x < width, y < height, x > Int.min / 2, y > Int.min / 2 else { return }
        if let background {
            let box = BitmapFont.size(of: text, scale: s)
            fillRect(x: Double(x), y: Double(y), width: Double(box.width), height: Double(box.height), color: background)
        }
        let advance = BitmapFont.cellWidth * s
        let lineAdvance = BitmapFont.cellHeight * s
        for (row, line) in BitmapFont.lines(of: text).enumerated() {
            let top = y + row * lineAdvance
            if top >= height { break }
            if top + BitmapFont.glyphRows * s <= 0 { continue }
            for (column, character) in line.enumerated() {
                let left = x + column * advance
                if left >= width { break }
                if left + BitmapFont.glyphColumns * s <= 0 { continue }
                drawGlyph(BitmapFont.glyph(for: character), left: left, top: top, scale: s, color: color)
            }
        }
    }

    /// Paints the inked pixels of one glyph as scale × scale blocks; `blend` clips.
    private mutating func drawGlyph(_ rows: [UInt8], left: Int, top: Int, scale: Int, color: Color) {
        for (r, bits) in rows.enumerated() where bits != 0 {
            for c in 0..<BitmapFont.glyphColumns where bits & (1 << UInt8(BitmapFont.glyphColumns - 1 - c)) != 0 {
                let px = left + c * scale
                let py = top + r * scale
                for dy in 0..<scale {
                    for dx in 0..<scale { blend(x: px + dx, y: py + dy, color: color) }
                }
            }
        }
    }
}
