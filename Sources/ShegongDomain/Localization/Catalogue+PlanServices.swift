import Foundation

// What the plan, target, exam and statistics services say when they refuse or correct a request.
extension Catalogue {
    public static let planServiceEntries: [CatalogueEntry] = [
        .init("plan.measure.not_lead", "措施 {0} 不由您所在的部门（{1}）牵头，不能填报进展",
              "Measure {0} is not led by your department ({1}); you cannot report on it"),
        .init("plan.measure.read_only", "当前账号无权修改 {0} 的数据", "Your account may not change the data of {0}"),
        .init("scope.read_only", "当前账号无权修改 {0} 的数据", "Your account may not change the data of {0}"),
        .init("statistics.statistic.out_of_field", "以下统计项不是您所在部门填报的：{0}",
              "These statistics are not entered by your department: {0}"),
        .init("statistics.statistic.out_of_field.item", "「{0}」不是您所在部门填报的统计项",
              "“{0}” is not a statistic your department enters"),
        .init("validation.target", "目标有误", "The target needs correcting"),
        .init("target.region.unknown", "地区代码 {0} 不存在", "The region code {0} does not exist"),
    ]
}
