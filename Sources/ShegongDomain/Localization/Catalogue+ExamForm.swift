import Foundation

// Entering an exam figure on a page (issue #18 §2).
extension Catalogue {
    public static let examFormEntries: [CatalogueEntry] = [
        .init("examForm.title", "录入考试数据", "Enter exam figures"),
        .init("examForm.link", "录入考试数据", "Enter exam figures"),
        .init("examForm.region", "地区", "Region"),
        .init("examForm.year", "考试年份", "Exam year"),
        .init("examForm.level", "证书等级", "Certificate level"),
        .init("examForm.all_levels", "全部等级合计", "All levels together"),
        .init("examForm.registrants", "报考人数", "Registrants"),
        .init("examForm.registrants_at_least", "报考人数为下限（如“超 7.8 万人”）", "The registrants are a lower bound (“more than 78,000”)"),
        .init("examForm.passes", "通过人数", "Passes"),
        .init("examForm.provenance", "数据来源类别", "Kind of figure"),
        .init("examForm.provenance_hint", "看板在数字旁注明：公布数、推算数或估计数", "The dashboard labels the figure as published, derived or estimated"),
        .init("examForm.note", "来源原文或推算方法", "Source wording or how it was derived"),
        .init("examForm.count_invalid", "人数须为不小于 0 的整数", "Counts must be whole numbers, zero or more"),
        .init("examForm.region_required", "请选择地区", "Choose a region"),
    ]
}
