import Foundation

// The administrators' page of the four-eyes rule on money (issue #17 §3; docs/policies.md "Four eyes").
extension Catalogue {
    public static let fourEyesPageEntries: [CatalogueEntry] = [
        .init("nav.four_eyes", "四眼原则", "Four eyes"),
        .init("fourEyesPage.title", "四眼原则设置", "The four-eyes rule on money"),
        .init("fourEyesPage.explain",
              "四眼原则：提交申请或审核通过一级的人不能审核通过下一级；生成批次的人不能审批该批次，审批的人不能登记发放。默认在各地开启。可按地区关闭或重新开启，下级地区沿用最近的上级地区的设置；每次更改须说明原因，并记入审计日志。",
              "The four-eyes rule: whoever submitted an application, or approved one of its levels, may not approve the next; whoever ran a batch may not approve it, and whoever approved it may not record it as paid. It is on everywhere by default. It can be turned off or on again for a region; the regions below follow the nearest region above them with a setting. Every change needs a reason and is written to the audit log."),
        .init("fourEyesPage.in_force.on", "{0}：四眼原则开启", "{0}: the four-eyes rule is on"),
        .init("fourEyesPage.in_force.off", "{0}：四眼原则关闭", "{0}: the four-eyes rule is off"),
        .init("fourEyesPage.source.default", "没有任何设置，按默认开启。", "No setting on file: on by default."),
        .init("fourEyesPage.source.here", "本地区的设置：{0} 于 {1} 更改，原因：{2}", "This region's own setting, changed by {0} at {1}; reason: {2}"),
        .init("fourEyesPage.source.above", "沿用{0}的设置：{1} 于 {2} 更改，原因：{3}", "The setting of {0}, changed by {1} at {2}; reason: {3}"),
        .init("fourEyesPage.change", "更改设置", "Change the setting"),
        .init("fourEyesPage.state", "状态", "State"),
        .init("fourEyesPage.on", "开启", "On"),
        .init("fourEyesPage.off", "关闭", "Off"),
        .init("fourEyesPage.reason", "原因", "Reason"),
        .init("fourEyesPage.save", "保存设置", "Save the setting"),
        .init("fourEyesPage.saved", "设置已保存，并已记入审计日志。", "The setting is saved and written to the audit log."),
        .init("fourEyesPage.region_required", "请选择地区", "Choose a region"),
        .init("fourEyesPage.on_file", "已有的地区设置", "Settings on file"),
        .init("fourEyesPage.none_on_file", "尚无任何地区的设置：各地均按默认开启。", "No region has a setting: the rule is on everywhere."),
        .init("fourEyesPage.changed_by", "更改人", "Changed by"),
        .init("fourEyesPage.changed_at", "更改时间（北京时间）", "Changed at (Beijing time)"),
    ]
}
