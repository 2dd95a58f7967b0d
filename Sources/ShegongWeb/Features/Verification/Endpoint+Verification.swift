import Vapor

/// The public certificate verification: no login (docs/pilots.md "Verification").
extension Endpoint {
    static let certificateVerify = Endpoint("certificateVerify",
        .POST, ["certificate-verifications"], .open,
        summary: "公众查验证书：证书编号 + 持证人姓名；不符时（编号或姓名错误）答复相同，按地址限频",
        body: .json(["type": "object", "required": ["certificateNumber", "name"], "properties": [
            "certificateNumber": ["type": "string"], "name": ["type": "string"]]]),
        success: [.ok("查验结果：不符时只有 found=false", Schema.ref("CertificateVerification"))],
        errors: [.unprocessable: ErrorStatus.unprocessable.standardDescription, .tooManyRequests: ErrorStatus.tooManyRequests.standardDescription])

    static var verificationSchemas: [String: JSONValue] { [
        "CertificateVerification": ["type": "object", "required": ["found"], "properties": [
            "found": ["type": "boolean"], "level": Schema.string("证书等级"),
            "registration": ["type": "string", "enum": ["registered", "expired", "not_registered"]],
            "registeredUntil": Schema.string("登记有效期至", format: "date"), "maskedName": Schema.string("打码后的姓名"),
            "regionName": Schema.string("所在地区（区县）")]],
    ] }
}
