import Foundation

/// The one normalizer shared by topic rules and story fingerprints, so both see the same words.
///
/// Applied to item text and to rule patterns alike: Unicode NFKC, case folding, German folding
/// (ä→ae, ö→oe, ü→ue, ß→ss; other diacritics dropped, and ø, ł, đ, æ, œ, þ... spelled in
/// plain Latin letters), soft hyphens removed, every dash and hyphen
/// (U+2010–2015, U+2212, `-`) a word boundary, quotes and apostrophes unified.
public enum TextNormalizer {
    /// Returns the normalized form of `text`: folded letters, dashes as spaces, quotes unified,
    /// other punctuation kept.
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
            case 0x2018, 0x2019, 0x201A, 0x201B, 0x0060, 0x00B4, 0x2032: out.append("'")
            case 0x201C, 0x201D, 0x201E, 0x201F, 0x00AB, 0x00BB, 0x2033: out.append("\"")
            case let v where ScalarFolding.undecomposedLetters[v] != nil:
                for b in ScalarFolding.undecomposedLetters[v]! { out.append(Unicode.Scalar(b)) }
            default:
                let decomposed = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars
                for d in decomposed where !ScalarFolding.isCombiningDiacritic(d.value) { out.append(d) }
            }
        }
        return String(out)
    }

    /// The normalized bytes of one non-ASCII scalar, as word tokenizers see it.
    ///
    /// Bytes other than 0x20 extend the current word; 0x20 ends it (dashes, quotes, punctuation);
    /// an empty result means the scalar vanishes without ending the word (soft hyphen, accents).
    /// ASCII needs no call: letters fold to lower case, digits stay, everything else separates words.
    ///
    /// - Parameters:
    ///   - scalar: A scalar outside ASCII.
    ///   - previous: The last byte of the current word, or nil between words; a combining
    ///     diaeresis after `a`, `o` or `u` becomes `e` (decomposed umlauts).
    public static func foldedBytes(of scalar: Unicode.Scalar, previous: UInt8?) -> [UInt8] {
        if scalar.value == 0x0308, let previous, previous == 0x61 || previous == 0x6F || previous == 0x75 {
            return [0x65]
        }
        return ScalarFolding.fold(scalar)
    }

    /// Splits `text` into normalized words: runs of letters and digits after normalization.
    ///
    /// The same words the topic matcher sees (``WordTokenizer``).
    public static func words(in text: String) -> [String] {
        WordTokenizer(text).words
    }

    /// The length in bytes of a web address at `offset` — `http://`, `https://` or `www.` in any
    /// case, up to the next white space, `<`, `>`, `"` or non-ASCII byte — or 0 if none starts there.
    ///
    /// Tokenizers skip web addresses: a rule for `nato` must not hit `https://www.nato.int/…`.
    @inline(__always)
    public static func webAddressLength(in src: UnsafeBufferPointer<UInt8>, at offset: Int) -> Int {
        // Most words starting with h or w are ordinary words: four bytes decide that.
        let n = src.count
        guard offset + 4 <= n else { return 0 }
        let first = src[offset] | 0x20, second = src[offset + 1] | 0x20, third = src[offset + 2] | 0x20
        if first == 0x68, second == 0x74, third == 0x74, src[offset + 3] | 0x20 == 0x70 {  // http
            var j = offset + 4
            if j < n, src[j] | 0x20 == 0x73 { j += 1 }  // https
            guard j + 3 <= n, src[j] == 0x3A, src[j + 1] == 0x2F, src[j + 2] == 0x2F else { return 0 }  // ://
        } else if !(first == 0x77 && second == 0x77 && third == 0x77 && src[offset + 3] == 0x2E) {  // www.
            return 0
        }
        var end = offset
        while end < src.count {
            let b = src[end]
            if b <= 0x20 || b == 0x3C || b == 0x3E || b == 0x22 || b >= 0x80 { break }
            end += 1
        }
        return end - offset
    }
}
