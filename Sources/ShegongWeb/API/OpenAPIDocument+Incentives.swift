import Foundation
import Vapor

/// The issue 4 operations of the OpenAPI document: policies, eligibility, applications, allowance
/// runs, payment batches and the ledger.
extension OpenAPIDocument {
    static var yamlBody: JSON {
        ["required": true, "description": "政策文件（YAML，格式见 docs/policies.md）",
         "content": ["application/yaml": ["schema": ["type": "string"]], "text/plain": ["schema": ["type": "string"]]]]
    }

    static func incentiveOperation(_ route: APIRoute, _ op: inout JSON, _ parameters: inout [JSON], _ responses: inout JSON) {
        func body(_ schema: JSON) { op["requestBody"] = ["required": true, "content": json(schema)] }
        func ok(_ description: String, _ schema: JSON = ["type": "object"], status: String = "200") {
            responses[status] = ["description": description, "content": json(schema)]
        }
        switch route {
        case .policies: ok("已载入的政策", ["type": "array", "items": ["type": "object"]])
        case .policy: ok("政策（解析后的模型和原文）")
        case .policyCheck:
            op["requestBody"] = yamlBody
            ok("文件有效")
            responses["422"] = errorResponse
        case .policyLoad:
            op["requestBody"] = yamlBody
            ok("已启用", status: "201")
            responses["422"] = errorResponse
        case .policySimulation:
            op["requestBody"] = yamlBody
            parameters += [query("month", "模拟月份 YYYY-MM，默认本月"), query("by", "按地区级别汇总：province、city、county（默认）、township")]
            ok("草案与现行政策的人数和月度、年度成本（分），按地区", ["type": "array", "items": ["type": "object"]])
            responses["422"] = errorResponse
        case .eligibility:
            parameters.append(query("date", "判断日期 YYYY-MM-DD，默认今天"))
            ok("每项可能适用的政策：是否符合、金额（分）、逐条规则的说明（中英文）", ["type": "array", "items": ["type": "object"]])
        case .applications:
            parameters += [query("status", "submitted、returned、rejected、approved"), query("policy", "政策 id")]
            ok("申请列表", ["type": "array", "items": ["type": "object"]])
        case .applicationCreate:
            body(["type": "object", "required": ["personID", "policyID", "applicant"], "properties": [
                "personID": ["type": "string"], "policyID": ["type": "string"], "certificateNumber": ["type": "string"],
                "applicant": string("申请人：本人或单位"), "date": string("申请日期，默认今天", format: "date")]])
            ok("已提交；金额和说明", status: "201")
            responses["409"] = errorResponse
            responses["422"] = ["description": "不符合条件（含申请期限），details 列出未通过的规则", "content": json(ref("Error"))]
        case .applicationReview:
            body(["type": "object", "required": ["action"], "properties": [
                "action": ["type": "string", "enum": ["approve", "reject", "return"]],
                "reason": string("驳回、退回时必填")]])
            ok("审核后的申请")
            responses["409"] = errorResponse
            responses["422"] = errorResponse
        case .allowanceRun:
            body(["type": "object", "required": ["policyID", "month"], "properties": [
                "policyID": ["type": "string"], "month": string("YYYY-MM")]])
            ok("本月批次：新增当月和补发笔数、合计（分）、预算警告；重复运行不再新增")
            responses["409"] = errorResponse
            responses["422"] = errorResponse
        case .paymentBatches:
            parameters.append(query("policy", "政策 id"))
            ok("发放批次", ["type": "array", "items": ["type": "object"]])
        case .paymentBatchApprove, .paymentBatchPaid:
            ok("批次")
            responses["409"] = ["description": "批次不在可转换的状态（例如已审批）", "content": json(ref("Error"))]
        case .paymentBatchExport:
            parameters.append(query("format", "xlsx（默认）或 csv"))
            responses["200"] = ["description": "发放名单（证件号脱敏，含合计和校验码）", "content": ["application/octet-stream": ["schema": ["type": "string"]]]]
        case .paymentLine:
            ok("一笔发放明细及其判定说明（逐条规则、所见数值与结论，中英文）")
            responses["404"] = errorResponse
        case .ledger:
            parameters += [query("policy", "政策 id"), query("byRegion", "true 按地区汇总", type: "boolean")]
            ok("按政策、月份、状态（和地区）汇总的笔数与金额（分）", ["type": "array", "items": ["type": "object"]])
        default: break
        }
    }

    static func incentiveSummary(_ route: APIRoute) -> String {
        switch route {
        case .policies: return "激励政策列表"
        case .policy: return "激励政策详情"
        case .policyCheck: return "校验政策文件"
        case .policyLoad: return "启用政策文件"
        case .policySimulation: return "模拟政策草案的成本"
        case .eligibility: return "人员可享受的激励及说明"
        case .applications: return "一次性奖励申请列表"
        case .applicationCreate: return "提交一次性奖励申请"
        case .applicationReview: return "审核申请（通过、驳回、退回）"
        case .allowanceRun: return "计算月度津贴发放批次"
        case .paymentBatches: return "发放批次列表"
        case .paymentBatchApprove: return "审批发放批次"
        case .paymentBatchPaid: return "登记批次已发放"
        case .paymentBatchExport: return "下载发放名单"
        case .ledger: return "发放台账汇总"
        case .paymentLine: return "发放明细及判定说明"
        default: return route.rawValue
        }
    }
}
