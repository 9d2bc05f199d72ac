import Foundation

/// How one Unicode scalar folds: the normalized bytes it contributes to a word.
///
/// A space byte (0x20) in the folded form marks a word boundary; an empty form means the scalar
/// vanishes without breaking the word (soft hyphen, combining accents).
enum ScalarFolding {
    /// Folded forms of U+0080..U+024F (Latin-1 Supplement, Latin Extended-A/B), computed once.
    static let latinTable: [[UInt8]] = (0x80..<0x250).map { foldSlow(Unicode.Scalar(UInt32($0))!) }

    /// Folds a non-ASCII scalar.
    @inline(__always)
    static func fold(_ scalar: Unicode.Scalar) -> [UInt8] {
        let v = scalar.value
        if v < 0x250 { return latinTable[Int(v) - 0x80] }
        if isCombiningDiacritic(v) { return [] }
        let properties = scalar.properties
        if !properties.changesWhenNFKCCaseFolded {
            if properties.isAlphabetic || properties.numericType != nil {
                return Array(String(scalar).utf8)
            }
            return [0x20]
        }
        return foldSlow(scalar)
    }

    /// Latin letters that Unicode does not decompose into a base letter and an accent, in plain
    /// letters as English and German news spell them: Støre → store, Łukaszenka → lukaszenka,
    /// æ → ae (lower-case forms: upper case is lowered first).
    static let undecomposedLetters: [UInt32: [UInt8]] = [
        0x00F8: Array("o".utf8), 0x0142: Array("l".utf8), 0x0111: Array("d".utf8), 0x00F0: Array("d".utf8),
        0x0127: Array("h".utf8), 0x0131: Array("i".utf8), 0x00E6: Array("ae".utf8), 0x0153: Array("oe".utf8),
        0x00FE: Array("th".utf8), 0x0140: Array("l".utf8), 0x0167: Array("t".utf8), 0x0180: Array("b".utf8),
    ]

    static func isCombiningDiacritic(_ v: UInt32) -> Bool {
        (0x0300...0x036F).contains(v) || (0x1AB0...0x1AFF).contains(v) || (0x1DC0...0x1DFF).contains(v)
            || (0x20D0...0x20FF).contains(v) || (0xFE20...0xFE2F).contains(v)
    }

    /// The full path: NFKC, lower case, German folding, accents dropped; non-word scalars become spaces.
    static func foldSlow(_ scalar: Unicode.Scalar) -> [UInt8] {
        if scalar.value == 0x00AD { return [] }
        var out: [UInt8] = []
        let mapped = String(scalar).precomposedStringWithCompatibilityMapping.lowercased()
        for s in mapped.unicodeScalars {
            switch s.value {
            case 0x00E4: out += [0x61, 0x65]  // ä → ae
            case 0x00F6: out += [0x6F, 0x65]  // ö → oe
            case 0x00FC: out += [0x75, 0x65]  // ü → ue
            case 0x00DF, 0x1E9E: out += [0x73, 0x73]  // ß → ss
            case 0x00AD: continue
            case let v where undecomposedLetters[v] != nil: out += undecomposedLetters[v]!
            default:
                for d in String(s).decomposedStringWithCanonicalMapping.unicodeScalars {
                    if isCombiningDiacritic(d.value) { continue }
                    if d.isASCII {
                        let b = UInt8(d.value)
                        switch b {
                        case 0x61...0x7A, 0x30...0x39: out.append(b)
                        case 0x41...0x5A: out.append(b | 0x20)
                        default: out.append(0x20)
                        }
                    } else if d.properties.isAlphabetic || d.properties.numericType != nil {
                        out += Array(String(d).utf8)
                    } else {
                        out.append(0x20)
                    }
                }
            }
        }
        return out
    }
}
