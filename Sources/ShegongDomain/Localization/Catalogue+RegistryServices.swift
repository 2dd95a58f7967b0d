import Foundation

// What the registry's services (people, organisations, certificates, regions) say when they
// refuse a value or an action.
extension Catalogue {
    public static let registryServiceEntries: [CatalogueEntry] = [
        .init("person.reveal_forbidden", "当前账号无权查看完整身份证号和手机号", "Your account may not see full ID and mobile numbers"),
        .init("organization.scope.summary", "单位所在地区不在您的管辖范围内", "The organisation's region is not within your area"),
        .init("organization.scope", "地区不在您的管辖范围内", "The region is not within your area"),
        .init("certificate.invalid", "证书信息有误", "The certificate's details need correcting"),
        .init("certificate.level.invalid", "证书等级须为：{0}", "The certificate level must be one of: {0}"),
        .init("certificate.number.invalid", "证书编号须为 1–50 个字符", "The certificate number must be 1–50 characters"),
        .init("certificate.issue_date.invalid", "发证日期须为 YYYY-MM-DD", "The issue date must be YYYY-MM-DD"),
        .init("certificate.issue_date.future", "发证日期不能晚于今天", "The issue date cannot be after today"),
        .init("auth.forbidden", "当前账号无权修改{0}的数据", "Your account may not change the data of {0}"),
        .init("regions.outside_scope", "地区 {0} 不在您有读写权限的管辖范围内", "The region {0} is not within the area you may change"),
    ]
}
