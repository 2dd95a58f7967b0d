import Foundation

// The account forms' organisation and person chosen by name (AccountHolderPicks).
extension Catalogue {
    public static let accountPickEntries: [CatalogueEntry] = [
        .init("accountPicks.legend", "账号代表的机构或人员", "Organisation or person the account acts for"),
        .init("accountPicks.option", "{0}（{1}）", "{0} ({1})"),
        .init("accountPicks.organization_search", "查找机构", "Find an organisation"),
        .init("accountPicks.organization_hint", "机构管理员账号用：输入机构名称中的字词或统一社会信用代码，再点“查找”。",
              "For an organisation manager: words of the organisation's name or its unified social credit code, then “Find”."),
        .init("accountPicks.person_search", "查找人员", "Find a person"),
        .init("accountPicks.person_hint", "社会工作者本人账号用：输入姓名的开头或身份证号，再点“查找”。",
              "For a social worker: the first characters of the name or the ID number, then “Find”."),
        .init("accountPicks.find", "查找", "Find"),
        .init("accountPicks.search_first", "请先查找", "Search first"),
        .init("accountPicks.no_match", "没有与“{0}”相符的记录", "Nothing matches “{0}”"),
        .init("accountPicks.choose", "请选择", "Choose"),
        .init("auditAction.account.holder_search", "查找账号所属机构或人员", "Account holder searched"),
    ]
}
