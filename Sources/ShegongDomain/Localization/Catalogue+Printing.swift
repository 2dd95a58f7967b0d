/// The printable forms offices file on paper (issue #18 §3).
extension Catalogue {
    public static let printingEntries: [CatalogueEntry] = [
        .init("print.person.title", "社会工作人才信息表", "Social work talent record"),
        .init("print.person.link", "打印人员信息表", "Print the record form"),
        .init("print.back", "返回", "Back"),
        .init("print.printed_on", "打印时间：{0}（北京时间）", "Printed {0} (Beijing time)"),
        .init("print.personal_data_note", "本表含个人信息，仅限工作使用，请妥善保管，不得外传；身份证号与手机号已作遮盖处理。",
              "This form holds personal data: for official use only, keep it safe and do not pass it on. ID and mobile numbers are masked."),
        .init("print.sign.holder", "本人签字：", "Holder's signature:"),
        .init("print.sign.employer", "用人单位意见（盖章）：", "Employer (seal):"),
        .init("print.sign.office", "民政部门审核意见（盖章）：", "Civil affairs office (seal):"),
        .init("print.sign.date", "年　　月　　日", "Date:"),
    ]
}
