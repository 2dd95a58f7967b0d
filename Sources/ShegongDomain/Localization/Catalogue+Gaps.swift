import Foundation

// The gaps closed before issues #13 and #14 were resolved: case evidence through the API, a
// base's capacity against its placements (docs/pilots.md, docs/bases.md).
extension Catalogue {
    public static let gapsEntries: [CatalogueEntry] = [
        .init("auditAction.pilot.case_evidence_add", "上传案例佐证材料", "Case evidence uploaded"),
        .init("pilot.case.evidence.required", "请至少选择一个佐证材料文件", "Choose at least one evidence file"),
        .init("bases.placement.capacity",
              "“{0}”可容纳 {1} 人，这段时间内已有 {2} 人同时在基地，不能再安排",
              "“{0}” holds {1} people and already has {2} there at the same time in this period; nobody more can be placed"),
        .init("training.material.one_file", "一项资源只能上传一个文件", "A material holds one file"),
    ]
}
