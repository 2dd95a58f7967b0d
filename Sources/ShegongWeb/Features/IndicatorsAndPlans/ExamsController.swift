import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// Exam mobilisation: registrants and passes per year, level and region, with pass rate and growth.
struct ExamsController: RouteCollection {
    struct RateDTO: Codable {
        var value: Double?
        var noData: MessageDTO?
        var restsOnDerivedFigure: Bool
        var restsOnLowerBound: Bool
        init(_ r: ExamRate) {
            value = r.value.number; noData = r.value.noDataReason.map(MessageDTO.init)
            restsOnDerivedFigure = r.restsOnDerivedFigure; restsOnLowerBound = r.restsOnLowerBound
        }
    }
    struct FigureDTO: Codable {
        var year: Int
        var level: String
        var region: String
        var registrants: Int?
        var registrantsAtLeast: Bool
        var passes: Int?
        var provenance: String
        var note: String?
        var passRate: RateDTO
        var registrantGrowth: RateDTO
        var passGrowth: RateDTO
    }
    struct Answer: Codable {
        var region: RegionRef
        var figures: [FigureDTO]
    }
    struct Input: Codable {
        var year: Int
        var level: String?
        var region: String
        var registrants: Int?
        var registrantsAtLeast: Bool?
        var passes: Int?
        var provenance: String?
        var note: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.on(.exams) { req in
            let region = try await req.regionParameter()
            let year: Int? = req.queryString("year") == nil ? nil : try req.queryInt("year", default: 0)
            let (figures, mobilisation) = try await req.exams.figures(in: region)
            let shown = figures.filter { year == nil || $0.year == year }.map { f in
                FigureDTO(year: f.year, level: f.level?.rawValue ?? ExamStore.allLevels, region: f.region.value, registrants: f.registrants,
                          registrantsAtLeast: f.registrantsAtLeast ?? false, passes: f.passes, provenance: f.provenance.rawValue, note: f.note,
                          passRate: RateDTO(mobilisation.passRate(year: f.year, level: f.level, region: f.region)),
                          registrantGrowth: RateDTO(mobilisation.growth(of: .registrants, year: f.year, level: f.level, region: f.region)),
                          passGrowth: RateDTO(mobilisation.growth(of: .passes, year: f.year, level: f.level, region: f.region)))
            }
            return try JSONResponse.make(Answer(region: RegionRef(region), figures: shown))
        }
        // The exam authority's pass list: each pass becomes the person's certificate (people in the
        // official's region only), all rows or none, with the row-level report.
        routes.on(.examPassImport, body: .stream) { req in
            guard let year = try req.queryString("year").map({ _ in try req.queryInt("year", default: 0) }), (2008...2100).contains(year) else {
                throw APIError.badRequest("request.query", "须给出考试年份 year", field: "year")
            }
            let dryRun = req.queryString("dryRun").map { $0 == "true" || $0 == "1" } ?? false
            let fileName = req.queryString("fileName") ?? "upload"
            let file = try await req.bodyFile(limitMB: 50)
            defer { try? FileManager.default.removeItem(at: file) }
            let report = try await req.exams.importPasses(reader: try StatisticsController.openReader(file), fileName: fileName, year: year,
                                                          dryRun: dryRun)
            guard report.issues.isEmpty else {
                throw APIError(status: .unprocessableEntity, code: "exam.passes.rejected",
                               message: "有 \(report.issues.count) 处问题，整个名单未导入。请按逐行报告修改后重新上传。",
                               details: report.issues.prefix(1_000).map(APIErrorBody.Detail.init))
            }
            return try JSONResponse.make(report)
        }
        routes.on(.examCreate) { req in
            let input = try req.content.decode(Input.self)
            var details: [APIErrorBody.Detail] = []
            var level: CertificateLevel?
            if let raw = input.level?.trimmingCharacters(in: .whitespaces), !raw.isEmpty, raw != ExamStore.allLevels {
                level = CertificateLevel(rawValue: raw)
                if level == nil {
                    details.append(.init(field: "level", code: "exam.level.invalid",
                                         message: "等级须为 " + CertificateLevel.allCases.map(\.rawValue).joined(separator: "、") + " 或省略（全部等级）"))
                }
            }
            var region: RegionCode?
            switch RegionCode.parse(input.region) {
            case .success(let code): region = code
            case .failure(let error): details.append(.init(field: "region", code: error.code, message: error.message))
            }
            var provenance = FigureProvenance.reported
            if let raw = input.provenance {
                if let parsed = FigureProvenance(rawValue: raw) { provenance = parsed } else {
                    details.append(.init(field: "provenance", code: "exam.provenance.invalid", message: "来源须为 reported、derived 或 estimated"))
                }
            }
            if input.registrants == nil && input.passes == nil {
                details.append(.init(field: "registrants", code: "exam.figures.empty", message: "报名人数和通过人数至少填一项"))
            }
            guard details.isEmpty, let region else {
                throw APIError(status: .unprocessableEntity, code: "validation", message: "考试数据有误", details: details)
            }
            let figure = ExamFigure(year: input.year, level: level, region: region, registrants: input.registrants,
                                    registrantsAtLeast: input.registrantsAtLeast, passes: input.passes, provenance: provenance, note: input.note)
            let created = try await req.exams.save(figure)
            return try JSONResponse.make(["saved": created ? "created" : "updated"], status: created ? .created : .ok)
        }
    }
}

extension Request {
    /// The exam use cases for the signed-in account (`ExamService`).
    var exams: ExamService {
        get throws { ExamService(context: services, caller: try caller) }
    }
}
