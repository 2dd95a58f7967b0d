import Testing
import ShegongDomain

/// One row of the template, filled as a county office would, with one cell changed per test.
private struct TemplateRow {
    var values: [CensusColumn: SpreadsheetCell] = [
        .name: .text("李明"),
        .residentID: .text(TemplateRow.validID),
        .sex: .text("男"),
        .mobile: .text("13812345678"),
        .regionCode: .text("422826"),
        .employerName: .text("咸丰县阳光社会工作服务中心"),
        .employerCode: .text("91110000600037341L"),
        .postCategory: .text("社工机构从业人员"),
        .serviceFields: .text("养老、儿童"),
        .education: .text("本科"),
        .socialWorkDegree: .text("是"),
        .certificateLevel: .text("社会工作师"),
        .certificateNumber: .text("S2021420000123"),
        .issueDate: .text("2021-08-15"),
    ]

    /// A man born 1990-03-07.
    static let validID = Reference.residentID(address: "422826", birth: "19900307", sequence: "123")

    subscript(column: CensusColumn) -> SpreadsheetCell {
        get { values[column] ?? .empty }
        set { values[column] = newValue }
    }

    var row: SpreadsheetRow {
        SpreadsheetRow(number: 7, cells: CensusColumn.allCases.map { self[$0] })
    }

    func validate() -> Result<CensusRecord, [CensusIssue]> {
        CensusHeader.standard.record(from: row, today: fixedToday)
    }

    /// The issues of the row; fails the test when the row was accepted.
    func issues(sourceLocation: SourceLocation = #_sourceLocation) -> [CensusIssue] {
        let issues = validate().failureValue
        #expect(issues != nil, "row should have been rejected", sourceLocation: sourceLocation)
        return issues ?? []
    }

    static func with(_ column: CensusColumn, _ cell: SpreadsheetCell) -> TemplateRow {
        var row = TemplateRow()
        row[column] = cell
        return row
    }
}

@Suite("Census template data rows")
struct CensusRecordTests {
    // MARK: A complete row

    @Test("a fully filled row becomes a record")
    func validRow() throws {
        // act
        let record = try TemplateRow().validate().get()
        // check
        #expect(record.row == 7)
        #expect(record.name == "李明")
        #expect(record.residentID.value == TemplateRow.validID)
        #expect(record.sex == .male)
        #expect(record.mobile?.value == "13812345678")
        #expect(record.regionCode == "422826")
        #expect(record.employerName == "咸丰县阳光社会工作服务中心")
        #expect(record.employerCode?.value == "91110000600037341L")
        #expect(record.postCategory == .socialWorkOrganization)
        #expect(record.serviceFields == [.elderly, .children])
        #expect(record.education == .bachelor)
        #expect(record.socialWorkDegree == true)
        #expect(record.certificate == CensusCertificate(level: .intermediate, number: "S2021420000123",
                                                         issueDate: CivilDate(year: 2021, month: 8, day: 15)!))
    }

    @Test("a row with only the required cells is a record with the optional fields empty")
    func minimalRow() throws {
        var row = TemplateRow()
        row.values = [.name: .text("王芳"), .residentID: .text("11010519491231002X"), .regionCode: .text("110105")]
        let record = try row.validate().get()
        #expect(record.sex == .female)
        #expect(record.mobile == nil && record.employerName == nil && record.employerCode == nil)
        #expect(record.postCategory == nil && record.serviceFields.isEmpty && record.education == nil)
        #expect(record.socialWorkDegree == nil && record.certificate == nil)
    }

    @Test("every problem of a row is reported, not only the first")
    func allProblems() {
        var row = TemplateRow()
        row[.name] = .empty
        row[.mobile] = .text("12345")
        row[.education] = .text("大学")
        row[.issueDate] = .text("2030-01-01")
        let issues = row.issues()
        #expect(issues.map(\.code) == ["census.name.missing", "census.mobile.invalid", "census.education.invalid",
                                       "census.certificate.issue_date.future"])
        #expect(issues.allSatisfy { $0.row == 7 })
        #expect(issues.map(\.column) == ["姓名", "手机号", "最高学历", "发证日期"])
    }

    // MARK: 姓名

    @Test("姓名 is required")
    func nameMissing() {
        let issues = TemplateRow.with(.name, .text("  ")).issues()
        #expect(issues.map(\.code) == ["census.name.missing"])
    }

    @Test("姓名 has at most 50 characters")
    func nameLength() {
        #expect(TemplateRow.with(.name, .text(String(repeating: "阿", count: 50))).validate().successValue != nil)
        let issues = TemplateRow.with(.name, .text(String(repeating: "阿", count: 51))).issues()
        #expect(issues.map(\.code) == ["census.name.too_long"])
        #expect(issues.first?.message == "姓名有 51 个字符，最多 50 个")
    }

    @Test("姓名 is trimmed; a minority name with a middle dot is fine")
    func nameTrimmed() {
        #expect(TemplateRow.with(.name, .text(" 阿依古丽·买买提 ")).validate().successValue?.name == "阿依古丽·买买提")
    }

    // MARK: 身份证号

    @Test("身份证号 is required")
    func idMissing() {
        #expect(TemplateRow.with(.residentID, .empty).issues().map(\.code) == ["census.id.missing"])
    }

    @Test("身份证号 with a wrong check character is rejected with the expected character")
    func idInvalid() {
        let wrong = String(TemplateRow.validID.dropLast()) + (TemplateRow.validID.last == "0" ? "1" : "0")
        let issues = TemplateRow.with(.residentID, .text(wrong)).issues()
        #expect(issues.map(\.code) == ["census.id.invalid"])
        #expect(issues.first?.value == wrong)
        #expect(issues.first?.message.contains("身份证号校验位应为 \(TemplateRow.validID.last!)") == true)
    }

    @Test("身份证号 stored by Excel as a number has lost digits and is rejected, saying so")
    func idAsNumber() {
        let issues = TemplateRow.with(.residentID, .number(4.22826199003071e17, raw: "4.22826199003071E+17")).issues()
        #expect(issues.map(\.code) == ["census.id.number_cell"])
        #expect(issues.first?.value == "4.22826199003071E+17")
        #expect(issues.first?.message.contains("文本") == true)
    }

    @Test("身份证号 with a lower-case x is accepted")
    func idLowerCaseX() {
        var row = TemplateRow.with(.residentID, .text("11010519491231002x"))
        row[.sex] = .text("女")
        #expect(row.validate().successValue?.residentID.value == "11010519491231002X")
    }

    // MARK: 性别

    @Test("性别 must be 男 or 女")
    func sexInvalid() {
        let issues = TemplateRow.with(.sex, .text("M")).issues()
        #expect(issues.map(\.code) == ["census.sex.invalid"])
        #expect(issues.first?.message == "性别应为“男”或“女”，实际为“M”")
    }

    @Test("性别 must agree with the ID")
    func sexMismatch() {
        let issues = TemplateRow.with(.sex, .text("女")).issues()
        #expect(issues.map(\.code) == ["census.sex.mismatch"])
        #expect(issues.first?.message.contains("表示男性") == true)
    }

    @Test("性别 may be left empty; the ID decides")
    func sexEmpty() {
        #expect(TemplateRow.with(.sex, .empty).validate().successValue?.sex == .male)
    }

    // MARK: 手机号

    @Test("手机号 must be 11 digits starting with 1")
    func mobileInvalid() {
        let issues = TemplateRow.with(.mobile, .text("1381234567")).issues()
        #expect(issues.map(\.code) == ["census.mobile.invalid"])
        #expect(issues.first?.message == "手机号应为 11 位数字，实际为 10 位")
        #expect(TemplateRow.with(.mobile, .text("28812345678")).issues().map(\.code) == ["census.mobile.invalid"])
    }

    @Test("手机号 stored by Excel as a number is fine")
    func mobileAsNumber() {
        #expect(TemplateRow.with(.mobile, .number(13812345678, raw: "13812345678")).validate().successValue?.mobile?.value == "13812345678")
    }

    // MARK: 地区代码

    @Test("地区代码 is required")
    func regionMissing() {
        #expect(TemplateRow.with(.regionCode, .empty).issues().map(\.code) == ["census.region.missing"])
    }

    @Test("地区代码 must have 6, 9 or 12 digits", arguments: ["42282", "4228260", "42282600", "4228A6"])
    func regionInvalid(text: String) {
        #expect(TemplateRow.with(.regionCode, .text(text)).issues().map(\.code) == ["census.region.invalid"])
    }

    @Test("地区代码 at county, township and community level, also as an Excel number",
          arguments: [SpreadsheetCell.text("422826"), .text("422826100"), .text("422826100001"),
                      .number(422826, raw: "422826"), .number(422826100001, raw: "422826100001")])
    func regionValid(cell: SpreadsheetCell) {
        #expect(TemplateRow.with(.regionCode, cell).validate().successValue?.regionCode == cell.text)
    }

    // MARK: 统一社会信用代码

    @Test("统一社会信用代码 must be valid when given")
    func usccInvalid() {
        let issues = TemplateRow.with(.employerCode, .text("91110000600037341M")).issues()
        #expect(issues.map(\.code) == ["census.uscc.invalid"])
        #expect(issues.first?.message.contains("校验位应为 L") == true)
    }

    @Test("统一社会信用代码 may be empty, and lower case is accepted")
    func usccOptional() {
        #expect(TemplateRow.with(.employerCode, .empty).validate().successValue?.employerCode == nil)
        #expect(TemplateRow.with(.employerCode, .text("91110000600037341l")).validate().successValue?.employerCode?.value == "91110000600037341L")
    }

    // MARK: 人员类别

    @Test("人员类别 must be one of the list, which the message spells out")
    func postCategoryInvalid() {
        let issues = TemplateRow.with(.postCategory, .text("社工")).issues()
        #expect(issues.map(\.code) == ["census.post_category.invalid"])
        #expect(issues.first?.message.contains("社区工作者、村干部、社工机构从业人员、机关事业单位人员、群团组织人员、劳务派遣人员、公益性岗位人员、其他") == true)
    }

    @Test("every 人员类别 of the list is accepted", arguments: PostCategory.allCases)
    func postCategoryValid(category: PostCategory) {
        #expect(TemplateRow.with(.postCategory, .text(category.rawValue)).validate().successValue?.postCategory == category)
    }

    // MARK: 服务领域

    @Test("服务领域 is split on 、 ; ； , ，, de-duplicated and put in list order",
          arguments: ["社区矫正、养老", "社区矫正;养老", "社区矫正；养老", "社区矫正,养老", "社区矫正，养老", "养老、社区矫正、养老", " 社区矫正 、 养老 "])
    func serviceFieldsSplit(text: String) {
        #expect(TemplateRow.with(.serviceFields, .text(text)).validate().successValue?.serviceFields == [.elderly, .communityCorrection])
    }

    @Test("服务领域 names each item not in the list")
    func serviceFieldsInvalid() {
        let issues = TemplateRow.with(.serviceFields, .text("养老、心理、教育")).issues()
        #expect(issues.map(\.code) == ["census.service_field.invalid"])
        #expect(issues.first?.message.hasPrefix("服务领域中的“心理”“教育”不在列表中") == true)
    }

    // MARK: 最高学历

    @Test("最高学历 must be one of the list")
    func educationInvalid() {
        let issues = TemplateRow.with(.education, .text("研究生")).issues()
        #expect(issues.map(\.code) == ["census.education.invalid"])
        #expect(issues.first?.message.contains("初中及以下、高中、中专、大专、本科、硕士、博士") == true)
        #expect(TemplateRow.with(.education, .text("初中及以下")).validate().successValue?.education == .juniorHighOrBelow)
    }

    // MARK: 社会工作专业

    @Test("社会工作专业 is 是 or 否 (an Excel TRUE/FALSE cell too)")
    func socialWorkDegree() {
        #expect(TemplateRow.with(.socialWorkDegree, .text("否")).validate().successValue?.socialWorkDegree == false)
        #expect(TemplateRow.with(.socialWorkDegree, .bool(true)).validate().successValue?.socialWorkDegree == true)
        let issues = TemplateRow.with(.socialWorkDegree, .text("Y")).issues()
        #expect(issues.map(\.code) == ["census.social_work_degree.invalid"])
        #expect(issues.first?.message == "社会工作专业应填“是”或“否”，实际为“Y”")
    }

    // MARK: 证书等级, 证书编号, 发证日期

    @Test("证书等级 must be one of the list")
    func levelInvalid() {
        let issues = TemplateRow.with(.certificateLevel, .text("中级社会工作师")).issues()
        #expect(issues.map(\.code) == ["census.certificate.level.invalid"])
        #expect(issues.first?.message.contains("无、助理社会工作师、社会工作师、高级社会工作师") == true)
    }

    @Test("证书等级 无 or empty means no certificate", arguments: [SpreadsheetCell.text("无"), .empty])
    func noCertificate(cell: SpreadsheetCell) {
        var row = TemplateRow.with(.certificateLevel, cell)
        row[.certificateNumber] = .empty
        row[.issueDate] = .empty
        let record = row.validate().successValue
        #expect(record != nil)
        #expect(record?.certificate == nil)
    }

    @Test("证书编号 and 发证日期 without a level are reported rather than dropped")
    func certificateDetailsWithoutLevel() {
        #expect(TemplateRow.with(.certificateLevel, .text("无")).issues().map(\.code)
                == ["census.certificate.number.unexpected", "census.certificate.issue_date.unexpected"])
    }

    @Test("证书编号 is required when a level is given")
    func numberMissing() {
        let issues = TemplateRow.with(.certificateNumber, .empty).issues()
        #expect(issues.map(\.code) == ["census.certificate.number.missing"])
        #expect(issues.first?.message == "证书等级为“社会工作师”时必须填写证书编号")
    }

    @Test("发证日期 is required when a level is given")
    func issueDateMissing() {
        #expect(TemplateRow.with(.issueDate, .empty).issues().map(\.code) == ["census.certificate.issue_date.missing"])
    }

    @Test("发证日期 as YYYY-MM-DD, YYYY/M/D, an Excel date cell or an Excel serial number",
          arguments: [SpreadsheetCell.text("2021-08-15"), .text("2021/8/15"), .text("2021/08/15"),
                      .date(CivilDate(year: 2021, month: 8, day: 15)!), .number(44423, raw: "44423")])
    func issueDateForms(cell: SpreadsheetCell) {
        #expect(TemplateRow.with(.issueDate, cell).validate().successValue?.certificate?.issueDate
                == CivilDate(year: 2021, month: 8, day: 15))
    }

    @Test("发证日期 in another form is rejected with the accepted forms",
          arguments: ["2021.8.15", "2021年8月15日", "15/08/2021", "2021-02-30"])
    func issueDateInvalid(text: String) {
        let issues = TemplateRow.with(.issueDate, .text(text)).issues()
        #expect(issues.map(\.code) == ["census.certificate.issue_date.invalid"])
        #expect(issues.first?.message.contains("YYYY-MM-DD") == true)
    }

    @Test("发证日期 may not be after today")
    func issueDateFuture() {
        #expect(TemplateRow.with(.issueDate, .text("2025-06-30")).validate().successValue != nil)
        let issues = TemplateRow.with(.issueDate, .text("2025-07-01")).issues()
        #expect(issues.map(\.code) == ["census.certificate.issue_date.future"])
        #expect(issues.first?.message == "发证日期 2025-07-01 晚于今天（2025-06-30）；请核对发证日期")
    }

    @Test("发证日期 may not be before 2008, the first national exam")
    func issueDateTooEarly() {
        #expect(TemplateRow.with(.issueDate, .text("2008-01-01")).validate().successValue != nil)
        let issues = TemplateRow.with(.issueDate, .text("2007-12-31")).issues()
        #expect(issues.map(\.code) == ["census.certificate.issue_date.too_early"])
        #expect(issues.first?.message.contains("2008") == true)
    }

    // MARK: Whole rows

    @Test("content in a column without a header is reported, not silently dropped")
    func unnamedColumn() throws {
        let header = try CensusHeader.parse(SpreadsheetRow(number: 1, cells: [.text("姓名"), .empty, .text("身份证号"), .text("地区代码")])).get()
        let row = SpreadsheetRow(number: 3, cells: [.text("王芳"), .text("备注"), .text("11010519491231002X"), .text("110105"), .text("多余")])
        let issues = header.record(from: row, today: fixedToday).failureValue ?? []
        #expect(issues.map(\.code) == ["census.column.unnamed", "census.column.unnamed"])
        #expect(issues.map(\.column) == [nil, nil])
        #expect(issues.first?.message.contains("第 B 列") == true)
        #expect(issues.last?.message.contains("第 E 列") == true)
    }

    @Test("blank rows are recognised so the importer can skip them")
    func blankRows() {
        let header = CensusHeader.standard
        #expect(header.isBlank(SpreadsheetRow(number: 9, cells: [])))
        #expect(header.isBlank(SpreadsheetRow(number: 9, cells: [.empty, .text("  "), .text("\u{3000}")])))
        #expect(!header.isBlank(SpreadsheetRow(number: 9, cells: [.empty, .text("王")])))
        #expect(!header.isBlank(SpreadsheetRow(number: 9, cells: [.number(0, raw: "0")])))
    }

    @Test("long offending values are cut to 100 characters in the issue")
    func longValue() {
        let issues = TemplateRow.with(.education, .text(String(repeating: "长", count: 300))).issues()
        #expect(issues.first?.value?.count == 100)
    }

    @Test("an exported row reads back as the same record")
    func exportRoundTrip() throws {
        // setup
        let record = try TemplateRow().validate().get()
        // act
        let cells = record.cells()
        let again = try CensusHeader.standard.record(from: SpreadsheetRow(number: 7, cells: cells), today: fixedToday).get()
        // check
        #expect(cells.count == CensusColumn.allCases.count)
        #expect(cells[1] == .text(TemplateRow.validID))
        #expect(cells[8] == .text("养老、儿童"))
        #expect(cells[13] == .date(CivilDate(year: 2021, month: 8, day: 15)!))
        #expect(again == record)
    }

    @Test("an exported row without a certificate writes 无")
    func exportWithoutCertificate() throws {
        let id = try ResidentID.parse("11010519491231002X", today: fixedToday).get()
        let record = CensusRecord(row: 0, name: "王芳", residentID: id, regionCode: "110105")
        let cells = record.cells()
        #expect(cells[2] == .text("女"))
        #expect(cells[11] == .text("无"))
        #expect(cells[12] == .empty && cells[13] == .empty)
    }
}

@Suite("Registry lists")
struct RegistryListTests {
    @Test("certificate levels rank assistant < intermediate < senior")
    func certificateLevels() {
        #expect(CertificateLevel.allCases.map(\.rank) == [1, 2, 3])
        #expect(CertificateLevel.allCases.map(\.rawValue) == ["助理社会工作师", "社会工作师", "高级社会工作师"])
        #expect(CertificateLevel.assistant < .senior)
        // 《社会工作者继续教育办法》
        #expect(CertificateLevel.allCases.map(\.continuingEducationHoursPerPeriod) == [72, 90, 90])
    }

    @Test("the template's lists are exactly docs/conventions.md §5's")
    func lists() {
        #expect(PostCategory.allCases.map(\.rawValue) == ["社区工作者", "村干部", "社工机构从业人员", "机关事业单位人员", "群团组织人员", "劳务派遣人员", "公益性岗位人员", "其他"])
        #expect(ServiceField.allCases.map(\.rawValue) == ["社区", "养老", "儿童", "残疾人", "医务", "学校", "禁毒", "司法", "社区矫正", "应急", "信访", "乡村振兴", "其他"])
        #expect(EducationLevel.allCases.map(\.rawValue) == ["初中及以下", "高中", "中专", "大专", "本科", "硕士", "博士"])
    }

    @Test("every list value has a distinct English name")
    func englishNames() {
        #expect(Set(CertificateLevel.allCases.map(\.englishName)).count == CertificateLevel.allCases.count)
        #expect(Set(PostCategory.allCases.map(\.englishName)).count == PostCategory.allCases.count)
        #expect(Set(ServiceField.allCases.map(\.englishName)).count == ServiceField.allCases.count)
        #expect(Set(EducationLevel.allCases.map(\.englishName)).count == EducationLevel.allCases.count)
        #expect(Set(Sex.allCases.map(\.englishName)).count == 2)
    }
}
