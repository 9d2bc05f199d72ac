import Foundation

/// The one normalizer shared by topic rules and story fingerprints, so both see the same words.
///
/// Applied to item text and to rule patterns alike: Unicode NFKC, case folding, German folding
/// (ä→ae, ö→oe, ü→ue, ß→ss; other diacritics dropped), soft hyphens removed, every dash and hyphen a
/// word boundary, quotes and apostrophes unified.
public enum TextNormalizer {
    /// Returns the normalized form of `text`.
    public static func normalize(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        let folded = text.precomposedStringWithCompatibilityMapping.lowercased()
        for scalar in folded.unicodeScalars {
            switch scalar.value {
            case 0x00AD: continue
            case 0x00E4: out.append("a"); out.append("e")
            case 0x00F6: out.append("o"); out.append("e")
            case 0x00FC: out.append("u"); out.append("e")
            case 0x00DF, 0x1E9E: out.append("s"); out.append("s")
            case 0x2010...0x2015, 0x2212, 0x002D: out.append(" ")
            case 0x2018, 0x2019, 0x201A, 0x201B, 0x0060, 0x00B4: out.append("'")
            case 0x201C, 0x201D, 0x201E, 0x201F, 0x00AB, 0x00BB: out.append("\"")
            default:
                let decomposed = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars
                for d in decomposed where !(0x0300...0x036F).contains(d.value) { out.append(d) }
            }
        }
        return String(out)
    }

    /// Splits `text` into normalized words: runs of letters and digits.
    public static func words(in text: String) -> [String] {
        normalize(text).split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }
}
