import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// Progress reports of the demo on two of Jiuquan's measures, with small real evidence files
/// (`Resources/demo/evidence`: a one-page PDF, a PNG, a UTF-8 text), so the demo's plan page shows
/// evidence that downloads. The seed plan files themselves stay as the source documents are: no
/// reports. Marked 演示 in their text.
extension DemoDataSet {
    struct DemoReport {
        var measure: String
        var department: String
        var date: String
        var text: String
        var completes: Bool
        /// (name shown, resource file)
        var files: [(name: String, resource: String)]
    }

    static let reports: [DemoReport] = [
        DemoReport(measure: "jiuquan-2025:2.2", department: "市委社会工作部", date: "2025-04-18",
                   text: "肃州区金泉路社区社会工作实践基地挂牌运行（演示数据）", completes: true,
                   files: [("实践基地挂牌通知.pdf", "opening-notice.pdf"), ("挂牌现场照片.png", "plaque-photo.png")]),
        DemoReport(measure: "jiuquan-2025:4.3", department: "市教育局", date: "2025-06-20",
                   text: "已在部分中小学开展社会工作服务，名单见附件（演示数据）", completes: false,
                   files: [("开展服务的学校名单.txt", "school-list.txt")]),
    ]

    static func evidenceResource(_ file: String) throws -> Data {
        let name = file as NSString
        guard let url = Bundle.module.url(forResource: name.deletingPathExtension, withExtension: name.pathExtension,
                                          subdirectory: "Resources/demo/evidence") else {
            throw StoreError(.invalid, code: "demo.evidence", text: .verbatim("演示佐证材料缺失：\(file)"))
        }
        return try Data(contentsOf: url)
    }

    /// Adds each demo report to its measure when the measure has no report yet (so loading twice
    /// adds nothing, and reports entered since are left alone). Returns how many were added.
    static func loadReports(db: any Database, now: Date) async throws -> Int {
        let store = PlanStore(db: db)
        var added = 0
        for report in reports {
            guard try await db.sql.select().column("id").from("plan_measures").where("id", .equal, report.measure).first() != nil,
                  try await db.sql.select().column("id").from("measure_reports").where("measure_id", .equal, report.measure).first() == nil
            else { continue }
            let files = try report.files.map { EvidenceUpload(fileName: $0.name, content: try evidenceResource($0.resource)) }
            _ = try await store.addReport(measureKey: report.measure,
                                          .init(date: report.date, text: report.text, completes: report.completes, department: report.department),
                                          files: files, uploadedBy: "demo", today: CivilDate.today(now: now), now: now)
            added += 1
        }
        return added
    }
}
