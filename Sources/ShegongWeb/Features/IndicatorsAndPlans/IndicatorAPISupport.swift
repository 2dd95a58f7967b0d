import Foundation
import ShegongDomain
import ShegongStore
import Vapor

/// Shapes shared by the issue 5 controllers (indicators, targets, plans, exams, statistics).
struct MessageDTO: Codable {
    var code: String
    var message: String
    var english: String
    init(_ m: IndicatorMessage) {
        code = m.code
        message = m.chinese
        english = m.english
    }
}

struct RegionRef: Codable {
    var code: String
    var name: String
    var level: String
    init(_ r: Region) {
        code = r.code
        name = r.name
        level = r.level.englishName
    }
}

/// A value or "no data" with the reason — never a division error or an invented number.
struct IndicatorValueDTO: Codable {
    var indicator: String
    var name: String
    var unit: String
    var region: RegionRef
    var asOf: String
    var period: DatePeriod?
    var hasValue: Bool
    var value: Double?
    var formatted: String
    var numerator: Int?
    var denominator: Int?
    var noData: MessageDTO?
    var terms: [IndicatorTermValue]

    init(_ r: IndicatorResult) {
        indicator = r.definition.id
        name = r.definition.chineseName
        unit = r.definition.unit
        region = RegionRef(r.region)
        asOf = r.asOf.description
        period = r.period
        formatted = r.definition.formatted(r.value)
        switch r.value {
        case .value(let v, let n, let d):
            hasValue = true
            value = v
            numerator = n
            denominator = d
        case .noData(let message):
            hasValue = false
            noData = MessageDTO(message)
        }
        terms = r.terms
    }
}

extension Request {
    /// `?name=YYYY-MM-DD`, or `fallback` when absent; a bad date is a 400 naming the parameter.
    func queryDate(_ name: String, default fallback: CivilDate? = nil) throws -> CivilDate? {
        guard let raw = queryString(name) else { return fallback }
        guard let date = CivilDate(iso: raw) ?? CivilDate(censusText: raw) else {
            throw APIError.badRequest("request.query", "参数 \(name) 须为日期 YYYY-MM-DD，收到 \(raw)", field: name)
        }
        return date
    }

    /// The indicator named by the `:id` path parameter (404 when unknown).
    func indicatorParameter() throws -> IndicatorDefinition {
        let id = try parameter("id")
        guard let definition = IndicatorCatalogue.definition(id: id) else {
            throw APIError(status: .notFound, code: "indicator.unknown", message: "指标 \(id) 不存在；可用指标见 GET /api/v1/indicators",
                           details: [.init(field: "id", code: "indicator.unknown", message: "指标 \(id) 不存在")])
        }
        return definition
    }

    /// The evaluation period: `from`/`to` when given; for indicators that count within a period and
    /// no period given, the calendar year of `asOf` up to `asOf`.
    func evaluationPeriod(for definition: IndicatorDefinition, asOf: CivilDate) throws -> DatePeriod? {
        let from = try queryDate("from"), to = try queryDate("to")
        switch (from, to) {
        case (nil, nil):
            guard definition.needsPeriod else { return nil }
            return DatePeriod(from: CivilDate(year: asOf.year, month: 1, day: 1)!, to: asOf)
        case (let f?, let t?):
            guard let period = DatePeriod(from: f, to: t) else {
                throw APIError.badRequest("request.query", "统计期的结束日期 \(t) 早于开始日期 \(f)", field: "to")
            }
            return period
        default:
            throw APIError.badRequest("request.query", "统计期须同时给出 from 和 to", field: from == nil ? "from" : "to")
        }
    }

    /// A body of one spreadsheet file, written to a 0600 file of the server's temporary folder for
    /// the streaming readers (the caller deletes it; on any failure here it is deleted at once).
    func bodyFile(limitMB: Int) async throws -> URL {
        let temp = try application.shegong.tempFiles.create("upload")
        do {
            let handle = try FileHandle(forWritingTo: temp)
            defer { try? handle.close() }
            var received = 0
            for try await chunk in body {
                received += chunk.readableBytes
                if received > limitMB << 20 {
                    throw APIError(status: .payloadTooLarge, code: "request.too_large", message: "文件超过 \(limitMB) MiB 的上传上限")
                }
                try handle.write(contentsOf: Data(buffer: chunk))
            }
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw error
        }
        return temp
    }
}
