import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import ShegongDomain

/// Parses chart output as XML: a chart must be a well-formed document on its own (an `.svg` file)
/// as well as inline in a page.
enum ChartXMLCheck {
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    final class Collector: NSObject, XMLParserDelegate {
        var elements: [String] = []
        var attributes: [[String: String]] = []
        var text = ""
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            elements.append(name)
            self.attributes.append(attributes)
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    }

    /// The element names in document order and the concatenated text, or an error naming the problem.
    @discardableResult
    static func assertWellFormed(_ svg: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Collector {
        let parser = XMLParser(data: Data(svg.utf8))
        let collector = Collector()
        parser.delegate = collector
        guard parser.parse() else {
            let message = "not well-formed XML (\(parser.parserError.map { "\($0)" } ?? "?")) at line \(parser.lineNumber): \(svg.prefix(400))"
            Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
            throw Malformed(description: message)
        }
        #expect(collector.elements.first == "svg", sourceLocation: sourceLocation)
        return collector
    }

    /// Every number in a coordinate attribute lies within the image (with a pixel's slack).
    static func coordinatesFit(_ collector: Collector) -> [String] {
        guard let root = collector.attributes.first, let width = Double(root["width"] ?? ""), let height = Double(root["height"] ?? "") else {
            return ["no size on <svg>"]
        }
        var problems: [String] = []
        for attributes in collector.attributes {
            for (name, value) in attributes {
                guard let number = Double(value) else { continue }
                if ["x", "x1", "x2", "cx"].contains(name), !(-1...width + 1).contains(number) { problems.append("\(name)=\(value) (width \(width))") }
                if ["y", "y1", "y2", "cy"].contains(name), !(-1...height + 1).contains(number) { problems.append("\(name)=\(value) (height \(height))") }
            }
        }
        return problems
    }
}

/// A fresh folder per test, removed when the value goes away.
final class ChartScratchFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("shegong-chart-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    deinit { try? FileManager.default.removeItem(at: url) }
}

func chartDate(_ text: String) -> CivilDate { CivilDate(iso: text)! }

@Suite struct ChartTestSupportTests {
    @Test func theCoordinateCheckCatchesADrawingOutsideTheImage() throws {
        let collector = try ChartXMLCheck.assertWellFormed("<svg width=\"100\" height=\"50\"><rect x=\"5000\" y=\"10\"/></svg>")
        #expect(ChartXMLCheck.coordinatesFit(collector) == ["x=5000 (width 100.0)"])
    }
}
