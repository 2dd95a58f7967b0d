import Foundation
import Testing
import ShegongDomain

@Suite("Evidence files: type by extension and bytes, size, name")
struct EvidenceRulesTests {
    static let pdf = Data("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n".utf8)
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13])
    static let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 16])
    static let ole2 = Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0])
    static let xlsx = Data([0x50, 0x4B, 0x03, 0x04]) + Data("....xl/workbook.xml".utf8)
    static let docx = Data([0x50, 0x4B, 0x03, 0x04]) + Data("....word/document.xml".utf8)

    func code(_ name: String, _ data: Data) -> String? {
        if case .refused(let problem) = EvidenceRules.check(fileName: name, content: data) { return problem.code }
        return nil
    }

    @Test("each allowed type is recognised by its extension and first bytes, whatever the case of the extension")
    func allowed() {
        for (name, data, type) in [("通知.pdf", Self.pdf, "application/pdf"), ("照片.PNG", Self.png, "image/png"), ("现场.jpeg", Self.jpeg, "image/jpeg"),
                                   ("现场.jpg", Self.jpeg, "image/jpeg"), ("名单.xlsx", Self.xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                                   ("总结.docx", Self.docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                                   ("旧表.xls", Self.ole2, "application/vnd.ms-excel"), ("旧文.doc", Self.ole2, "application/msword"),
                                   ("说明.txt", Data("第一行\n第二行".utf8), "text/plain; charset=utf-8")] {
            guard case .accepted(let kind) = EvidenceRules.check(fileName: name, content: data) else {
                Issue.record("\(name) refused")
                continue
            }
            #expect(kind.contentType == type, "\(name)")
        }
        // GB18030 text as Notepad saves it on Chinese Windows
        let gb = "佐证材料".data(using: String.Encoding(rawValue: 0x8000_0632))!
        #expect(code("说明.txt", gb) == nil)
        #expect(EvidenceRules.contentType(.txt, gb) == "text/plain; charset=gb18030")
        #expect(EvidenceRules.contentType(.txt, Data("佐证".utf8)) == "text/plain; charset=utf-8")
    }

    @Test("script carriers, executables and bytes that do not match the extension are refused, naming the file")
    func refused() {
        let html = Data("<!DOCTYPE html><html><script>alert(1)</script></html>".utf8)
        #expect(code("page.html", html) == "report.evidence.type")
        #expect(code("logo.svg", Data("<svg onload=alert(1)>".utf8)) == "report.evidence.type")
        #expect(code("setup.exe", Data("MZ\u{90}".utf8)) == "report.evidence.type")
        #expect(code("无扩展名", Self.pdf) == "report.evidence.type")
        #expect(code("伪装.pdf", html) == "report.evidence.content")
        #expect(code("伪装.png", Data("<svg onload=alert(1)>".utf8)) == "report.evidence.content")
        #expect(code("伪装.txt", html) == "report.evidence.content")
        #expect(code("程序.doc", Data([0x7F, 0x45, 0x4C, 0x46])) == "report.evidence.content")
        #expect(code("表.docx", Self.xlsx) == "report.evidence.content", "a workbook is not a document")
        #expect(code("空.pdf", Data()) == "report.evidence.empty")
        #expect(code("../etc/passwd.txt", Data("x".utf8)) == "report.evidence.name")
        #expect(code(".hidden.txt", Data("x".utf8)) == "report.evidence.name")
        // the message names the file
        if case .refused(let problem) = EvidenceRules.check(fileName: "伪装.pdf", content: html) {
            #expect(problem.chinese.contains("伪装.pdf") && problem.english.contains("伪装.pdf"))
        }
    }

    @Test("one byte over 20 MiB is refused, exactly 20 MiB is not")
    func size() {
        var big = Self.pdf
        big.append(Data(count: EvidenceRules.maxFileBytes - big.count))
        #expect(code("大.pdf", big) == nil)
        big.append(0)
        #expect(code("大.pdf", big) == "report.evidence.size")
    }

    @Test("names with a stored file are told from names without one")
    func namesWithoutFile() {
        let file = EvidenceFile(id: "e1", fileName: "照片.jpg", contentType: "image/jpeg", size: 3, sha256: "00")
        let report = ProgressReport(date: CivilDate(year: 2025, month: 5, day: 1)!, text: "进展", evidence: ["照片.jpg", "旧名单.xlsx"], files: [file])
        #expect(report.evidenceWithoutFile == ["旧名单.xlsx"])
    }
}
