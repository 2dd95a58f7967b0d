import Foundation
import ShegongDomain
import ShegongStore
import Vapor

/// The landing page: national key figures and the way into the API. Plain HTML, no script, no CDN.
struct HomePage: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.page(.GET) { req, ctx in
            let summary = try await CensusStatsStore(sql: req.sql).summary(region: try await req.regionParameter(), asOf: CivilDate.today())
            let provinces = try await req.regions.children(of: RegionPath.nationCode)
            var rows = ""
            for province in provinces {
                let counts = CensusSummary(counts: try await CensusStatsStore(sql: req.sql).counts(region: province.code), asOf: CivilDate.today())
                guard counts.total > 0 else { continue }
                rows += "<tr><td>\(HTML.escape(province.name))</td><td>\(counts.total)</td><td>\(counts.certificateHolders)</td><td>\(HTML.percent(counts.communityWorkerCertificationRate))</td></tr>"
            }
            let html = """
            <!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"><title>社工人才 Shegong</title>
            <style>body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
            table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .8rem;text-align:right}th:first-child,td:first-child{text-align:left}
            .figures{display:flex;gap:2rem}.figures div{font-size:1.4rem}.figures small{display:block;font-size:.8rem;color:#666}</style></head><body>
            <h1>社工人才 · 社会工作人才队伍建设平台</h1>
            <div class="figures"><div>\(summary.total)<small>社会工作人才</small></div><div>\(summary.certificateHolders)<small>持证人数</small></div>
            <div>\(HTML.percent(summary.communityWorkerCertificationRate))<small>社区工作者持证率</small></div></div>
            <h2>各地人才</h2><table><tr><th>地区</th><th>人才</th><th>持证</th><th>社区工作者持证率</th></tr>\(rows)</table>
            <h2>接口</h2><ul><li><a href="/api/v1/openapi.json">OpenAPI 文档</a></li><li><a href="/api/v1/stats/census">全国人才统计（JSON）</a></li>
            <li><a href="/api/v1/templates/census?format=xlsx">下载空白采集表（XLSX）</a></li><li><a href="/api/v1/health">健康检查</a></li></ul>
            </body></html>
            """
            var headers = HTTPHeaders()
            headers.contentType = .html
            return Response(status: .ok, headers: headers, body: .init(string: html))
        }
    }
}

enum HTML {
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }

    /// "无数据" rather than a made-up 0 % when the denominator is empty.
    static func percent(_ value: Double?) -> String {
        value.map { String(format: "%.1f%%", $0 * 100) } ?? "无数据"
    }
}
