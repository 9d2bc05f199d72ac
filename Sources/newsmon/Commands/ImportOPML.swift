import ArgumentParser
import FeedParsing
import Foundation
import NewsModel
import NewsMonitor

/// `newsmon import-opml`: Print [[feed]] entries for feeds.conf from an OPML export.
struct ImportOPML: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-opml", abstract: "Print [[feed]] entries for feeds.conf from an OPML export.")

    @Argument(help: "The OPML file exported by a feed reader; - reads standard input.")
    var file: String

    func run() async throws {
        let name = InputFile.displayName(file)
        let bytes: [UInt8]
        do {
            bytes = try InputFile.read(file)
        } catch {
            StandardError.print("\(name): cannot read the file: \(error.message)")
            throw ExitCode(1)
        }
        let feeds: [OPMLFeed]
        do {
            feeds = try OPMLReader.read(bytes, fileName: name)
        } catch {
            StandardError.print("\(error)")
            throw ExitCode(1)
        }
        // Outlines whose URL feeds.conf would refuse (javascript:, relative, no host) are left out, named.
        let usable = feeds.filter { feed in
            guard let problem = MonitorConfiguration.feedURLProblem(feed.url) else { return true }
            StandardError.print("\(name): skipping '\(Self.oneLine(feed.title))': \(problem)")
            return false
        }
        print(Self.toml(usable, source: file == "-" ? "standard input" : (file as NSString).lastPathComponent), terminator: "")
    }

    /// `[[feed]]` tables with unique ids derived from the titles.
    static func toml(_ feeds: [OPMLFeed], source: String) -> String {
        var used: Set<String> = []
        var out = "# \(feeds.count) feeds imported from \(source) by newsmon import-opml\n"
        for feed in feeds {
            var id = slug(feed.title)
            if id.isEmpty { id = "feed" }
            var candidate = id
            var n = 2
            while used.contains(candidate) {
                candidate = "\(id)-\(n)"
                n += 1
            }
            used.insert(candidate)
            out += "\n[[feed]]\n"
            out += "# \(oneLine(([feed.title] + (feed.folders.isEmpty ? [] : ["folder: " + feed.folders.joined(separator: " / ")])).joined(separator: " — ")))\n"
            out += "id = \(quoted(candidate))\n"
            out += "url = \(quoted(feed.url))\n"
        }
        return out
    }

    /// Lower-case ASCII letters and digits joined by single dashes; German umlauts folded.
    static func slug(_ text: String) -> String {
        var out = ""
        var dash = false
        for scalar in text.lowercased().unicodeScalars {
            let folded: String
            switch scalar {
            case "ä": folded = "ae"
            case "ö": folded = "oe"
            case "ü": folded = "ue"
            case "ß": folded = "ss"
            default:
                if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                    folded = String(scalar)
                } else if let base = String(scalar).applyingTransform(.stripDiacritics, reverse: false),
                    base.unicodeScalars.allSatisfy({ $0.isASCII && $0.properties.isAlphabetic })
                {
                    folded = base
                } else {
                    folded = ""
                }
            }
            if folded.isEmpty {
                dash = !out.isEmpty
            } else {
                if dash { out += "-" }
                dash = false
                out += folded
            }
        }
        return String(out.prefix(48))
    }

    /// A TOML basic string.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\u%04X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private static func oneLine(_ text: String) -> String {
        TerminalText.sanitize(text, maxLength: TerminalText.titleWidth)
    }
}
