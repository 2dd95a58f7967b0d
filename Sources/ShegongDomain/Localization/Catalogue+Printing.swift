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

/// The incentive forms: the 申请审批表 of an application and the 发放花名册 of a payment batch.
extension Catalogue {
    public static let incentivePrintingEntries: [CatalogueEntry] = [
        .init("print.application.link", "打印申请审批表", "Print the approval form"),
        .init("print.application.title", "社会工作人才激励资金申请审批表", "Incentive application and approval form"),
        .init("print.application.reviews", "审核意见", "Review"),
        .init("print.application.note", "各级审核意见由审核人签字并加盖单位公章；本表与系统记录不一致的，以系统记录为准。",
              "Each level's reviewer signs and seals their opinion; where this form and the system's record differ, the record prevails."),
        .init("print.review.level", "{0}审核", "{0} review"),
        .init("print.review.level_column", "审核层级", "Level"),
        .init("print.review.opinion", "审核意见", "Opinion"),
        .init("print.review.reviewer", "审核人", "Reviewer"),
        .init("print.review.date", "审核日期", "Date"),
        .init("print.review.seal", "签字（盖章）", "Signature (seal)"),
        .init("print.review.approve", "同意", "Approved"),
        .init("print.review.reject", "不同意", "Rejected"),
        .init("print.review.return", "退回补正", "Returned for correction"),
        .init("print.sign.applicant", "申请人签字：", "Applicant's signature:"),
        .init("print.roster.link", "打印发放花名册", "Print the payment roster"),
        .init("print.roster.title", "社会工作人才激励资金发放花名册", "Incentive payment roster"),
        .init("print.roster.page", "第 {0} 页，共 {1} 页", "Page {0} of {1}"),
        .init("print.roster.number", "序号", "No."),
        .init("print.roster.subtotal", "本页小计（{0} 笔）", "Page subtotal ({0} lines)"),
        .init("print.roster.total_lines", "合计笔数", "Lines in total"),
        .init("print.roster.total", "合计金额", "Total amount"),
        .init("print.sign.preparer", "制表人：", "Prepared by:"),
        .init("print.sign.reviewer", "审核人：", "Reviewed by:"),
        .init("print.sign.approver", "审批人：", "Approved by:"),
        .init("auditAction.payment_batch.print", "打印发放花名册", "Payment roster printed"),
    ]
}
