import Foundation

// What the services say when they refuse: the caller's role, access level or region does not
// allow the action (403), or the request names something the server decides itself.
extension Catalogue {
    public static let serviceEntries: [CatalogueEntry] = [
        .init("auth.role_forbidden", "当前账号的角色（{0}）无权执行此操作", "Your account's role ({0}) may not do this"),
        .init("reveal.forbidden", "只有具有读写权限的业务人员可以查看或导出完整身份证号和手机号",
              "Only officials with read-write access may see or export full ID and mobile numbers"),
        .init("policy.jurisdiction_outside_scope", "政策的适用地区 {0} 不在您有读写权限的管辖范围内",
              "The policy's region {0} is not within the area you may change"),
        .init("application.paper_date_officials_only", "只有有读写权限的工作人员可以补录纸质申请的日期",
              "Only officials with read-write access may enter the date of a paper application"),
        .init("application.paper_date_future", "纸质申请日期 {0} 晚于今天", "The paper application's date {0} is after today"),
        .init("application.paper_reason_required", "补录纸质申请须说明原因", "Say why the paper application is entered late"),
        .init("application.date_server_set", "申请日期由系统按提交当天记录，不能指定；补录纸质申请请填写 paperDate 和 paperReason",
              "The application date is the day it is submitted and cannot be given; for a paper application entered late, give paperDate and paperReason"),
        .init("allowance.budget_warning", "预算警告：{0} 年已承诺 {1} 元，加上本批 {2} 元，超过预算上限 {3} 元",
              "Budget warning: {1} yuan committed in {0}; with this batch's {2} yuan it exceeds the cap of {3} yuan"),
        .init("cli.account_required", "请用 --as 用户名 指明以哪个账号操作（或设置 SHEGONG_CLI_ACCOUNT）",
              "Name the account to act as with --as USERNAME (or set SHEGONG_CLI_ACCOUNT)"),
        .init("cli.account_unknown", "账号 {0} 不存在或已停用", "Account {0} does not exist or is disabled"),
    ]
}
