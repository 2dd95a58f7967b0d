import Foundation
import Vapor

/// The project's own stylesheet (and nothing from a CDN: intranets have no internet). Served with
/// a long cache lifetime under a versioned path; change `version` when the CSS changes.
struct StaticAssets: RouteCollection {
    static let prefix = "/static/"
    static let version = "5"
    static var stylesheetPath: String { "\(prefix)shegong-\(version).css" }
    /// The region picker's script (same origin, as the CSP's `script-src 'self'` allows); change
    /// `regionPickerVersion` when it changes.
    static let regionPickerVersion = "2"
    static var regionPickerPath: String { "\(prefix)region-picker-\(regionPickerVersion).js" }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("static", "shegong-\(Self.version).css") { _ -> Response in
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .contentType, value: "text/css; charset=utf-8")
            headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=31536000, immutable")
            return Response(status: .ok, headers: headers, body: .init(string: Self.stylesheet))
        }
        routes.get("static", "region-picker-\(Self.regionPickerVersion).js") { _ -> Response in
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .contentType, value: "text/javascript; charset=utf-8")
            headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=31536000, immutable")
            return Response(status: .ok, headers: headers, body: .init(string: RegionPickerScript.source))
        }
    }

    static let stylesheet = """
    :root{--ink:#1f2328;--muted:#5b6470;--line:#d0d7de;--soft:#f5f7f9;--brand:#b3261e;--link:#0b57d0;--ok:#1a7f37;--warn:#9a6700;--bad:#cf222e}
    *{box-sizing:border-box}
    html{font-size:15px}
    body{margin:0;font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;color:var(--ink);background:#fff;line-height:1.5}
    a{color:var(--link)}
    .skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.3rem}
    header.top{display:flex;justify-content:space-between;align-items:center;padding:.5rem 1.2rem;background:var(--brand);color:#fff;gap:1rem;flex-wrap:wrap}
    header.top a,header.top .link{color:#fff}
    .brand{font-size:1.25rem;font-weight:700;text-decoration:none}.brand small{font-weight:400;font-size:.85rem;margin-left:.6rem;opacity:.9}
    .who{display:flex;gap:.9rem;align-items:center;font-size:.9rem;flex-wrap:wrap}.who .role{padding:0 .4rem;border:1px solid rgba(255,255,255,.6);border-radius:3px}
    nav.main{background:var(--soft);border-bottom:1px solid var(--line)}
    nav.main ul{list-style:none;margin:0;padding:0 1rem;display:flex;flex-wrap:wrap}
    nav.main a{display:block;padding:.55rem .9rem;text-decoration:none;color:var(--ink)}
    nav.main a[aria-current]{border-bottom:3px solid var(--brand);font-weight:700}
    main{max-width:78rem;margin:0 auto;padding:1rem 1.2rem 2rem}main.wide{max-width:none}
    h1{font-size:1.5rem;margin:.4rem 0 1rem}h2{font-size:1.2rem;margin:1.6rem 0 .6rem}h3{font-size:1.05rem}
    footer{color:var(--muted);font-size:.8rem;text-align:center;padding:1rem;border-top:1px solid var(--line)}
    table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.93rem}
    th,td{border:1px solid var(--line);padding:.35rem .6rem;text-align:left;vertical-align:top}
    th{background:var(--soft);font-weight:600}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
    caption{text-align:left;font-weight:600;padding:.3rem 0}
    .figures{display:flex;gap:1rem;flex-wrap:wrap;margin:.5rem 0 1rem}
    .figure{border:1px solid var(--line);border-radius:6px;padding:.6rem 1rem;min-width:11rem}
    .figure b{display:block;font-size:1.6rem}.figure small{color:var(--muted)}
    .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(30rem,1fr));gap:1.2rem}
    .chart svg{max-width:100%;height:auto}
    form.stack{max-width:36rem}
    .field{margin:.6rem 0}.field label{display:block;font-weight:600;margin-bottom:.2rem}
    .field input,.field select,.field textarea{width:100%;padding:.4rem .5rem;border:1px solid #8c959f;border-radius:4px;font:inherit}
    .field.invalid input,.field.invalid select,.field.invalid textarea{border-color:var(--bad);background:#fff5f5}
    .field .error{color:var(--bad);display:block}.field .hint{color:var(--muted);display:block}
    .field.check{display:flex;gap:.4rem;align-items:center}.field.check input{width:auto}.field.check label{font-weight:400;margin:0}
    fieldset.checks{border:0;padding:0}fieldset.checks .hint{color:var(--muted);display:block;margin-bottom:.2rem}fieldset.checks legend{font-weight:600;margin-bottom:.2rem}fieldset.checks .field.check{display:inline-flex;margin:.2rem 1rem .2rem 0}
    form.search{display:flex;flex-wrap:wrap;gap:.6rem;align-items:flex-end}form.search .field{margin:0;min-width:10rem}
    button,.button{display:inline-block;padding:.4rem 1rem;border:1px solid var(--brand);background:var(--brand);color:#fff;border-radius:4px;font:inherit;cursor:pointer;text-decoration:none}
    button.secondary,.button.secondary{background:#fff;color:var(--brand)}
    button.link{background:none;border:none;padding:0;color:var(--link);text-decoration:underline}
    form.inline{display:inline}
    .alert{padding:.6rem .9rem;border-radius:4px;border:1px solid var(--line);background:var(--soft)}
    .alert.error{border-color:var(--bad);background:#fff5f5;color:#82071e}.alert.ok{border-color:var(--ok);background:#f0fff4}
    .alert.warn{border-color:var(--warn);background:#fff8e5}
    .secret{font-family:monospace;font-size:1.1rem;background:#fffbe6;padding:.3rem .6rem;border:1px dashed var(--warn)}
    .pager{display:flex;gap:1rem;align-items:center;margin:.6rem 0}
    .filters{display:flex;flex-wrap:wrap;gap:0 1rem;align-items:flex-end}.filters .field{min-width:11rem}
    dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dl.facts dt{color:#555}dl.facts dd{margin:0}
    .breadcrumb{font-size:.9rem;color:var(--muted);margin:.2rem 0 .6rem}.breadcrumb a{color:var(--muted)}
    .status{display:inline-block;padding:0 .4rem;border-radius:3px;font-size:.85rem;border:1px solid var(--line)}
    .status.overdue,.status.at_risk,.status.rejected{color:var(--bad);border-color:var(--bad)}
    .status.done,.status.met,.status.on_track,.status.approved,.status.paid{color:var(--ok);border-color:var(--ok)}
    .muted{color:var(--muted)}
    .code{color:var(--muted);font-size:.85em;font-variant-numeric:tabular-nums}
    .region-picker{border:0;padding:0}.region-picker legend{font-weight:600;margin-bottom:.2rem}
    .region-picker .levels,.region-picker .search{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;margin:.2rem 0}
    .field.region-picker select,.field.region-picker input{width:auto;min-width:9rem}.region-picker .chosen{margin:.2rem 0;font-size:.9rem}
    .region-picker .default-submit{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden;padding:0;border:0}
    .login{max-width:24rem;margin:4rem auto;padding:1.5rem;border:1px solid var(--line);border-radius:8px}
    progress{width:100%}
    .exports{font-size:.85rem;margin:-.5rem 0 1rem}
    table.targets td.chart{width:372px}table.targets td div{font-size:.85rem}
    figure.chart{margin:0}
    .print-form{max-width:190mm;margin:0 auto}.print-form h1{text-align:center;font-size:1.4rem}
    .print-form .form-meta{text-align:right;color:var(--muted);font-size:.85rem}
    table.form-grid th{width:16%;white-space:nowrap}table.form-grid td{width:34%}
    table.form-signatures td{height:7.5rem;width:33%;vertical-align:top}.sign-line{margin-top:3.5rem;text-align:right}
    .form-note{font-size:.8rem;color:var(--muted)}
    table.form-reviews td{height:4.2rem}table.form-reviews td.opinion{width:34%}table.form-reviews td.seal{width:24%}
    table.form-reviews .sign-line{margin-top:1.6rem}
    .roster table.roster-lines{font-size:.85rem}.roster table.roster-lines td,.roster table.roster-lines th{padding:.2rem .4rem}
    .roster table.roster-lines caption{text-align:right;font-weight:400;color:var(--muted);font-size:.8rem}
    table.roster-signatures td{border:0;width:33%;padding:.4rem 0}table.roster-signatures .blank{display:inline-block;width:60%;border-bottom:1px solid var(--ink)}
    @media (max-width:900px){.grid{grid-template-columns:1fr}}
    @media print{
      @page{size:A4 landscape;margin:12mm}
      @page form{size:A4 portrait;margin:15mm}
      .print-form{page:form;max-width:none}
      .roster-page{break-after:page}.roster-page:last-of-type{break-after:auto}.roster-page table{margin-bottom:2mm}
      header.top,nav.main,footer,form,.no-print,.skip{display:none!important}
      main{max-width:none;padding:0}body{font-size:9.5pt}
      a{color:inherit;text-decoration:none}
      table{page-break-inside:auto}tr{page-break-inside:avoid}
      figure.chart{page-break-inside:avoid}figcaption{display:none}
      .grid{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:6mm;align-items:start}.grid>:only-child{grid-column:1/-1}
      table.targets td.chart svg{height:105px;width:auto;max-width:100%}
      details,.exports{display:none!important}
      thead{display:table-header-group}tfoot{display:table-footer-group}
      table.targets{table-layout:fixed;width:100%}table.targets th:nth-child(1){width:24%}table.targets th:nth-child(2){width:24%}
      table.targets th:nth-child(3){width:22%}table.targets th:nth-child(4){width:30%}table.targets td.chart{width:auto}
      table.targets svg,figure.chart svg{max-width:100%;height:auto}th,td{word-break:normal;overflow-wrap:anywhere}
      h2{page-break-after:avoid}.print-view section{page-break-inside:auto}
    }
    """
}
