import Testing
import ShegongDomain

@Suite("Census template header row")
struct CensusHeaderTests {
    private func headerRow(_ texts: [String]) -> SpreadsheetRow {
        SpreadsheetRow(number: 1, cells: texts.map { $0.isEmpty ? .empty : .text($0) })
    }

    @Test("the template's own header maps every column in order")
    func standardHeader() throws {
        let header = try CensusHeader.parse(SpreadsheetRow(number: 1, cells: CensusColumn.headerCells)).get()
        #expect(header.columns == CensusColumn.allCases)
        #expect(header == CensusHeader.standard)
        #expect(CensusColumn.allCases.map(\.rawValue) == ["姓名", "身份证号", "性别", "手机号", "地区代码", "工作单位", "统一社会信用代码", "人员类别", "服务领域", "最高学历", "社会工作专业", "证书等级", "证书编号", "发证日期"])
        #expect(CensusColumn.allCases.filter(\.isRequired) == [.name, .residentID, .regionCode])
    }

    @Test("columns in another order, only the required ones, work and are read by name")
    func otherOrder() throws {
        // setup
        let header = try CensusHeader.parse(headerRow(["地区代码", "身份证号", "姓名"])).get()
        let row = SpreadsheetRow(number: 2, cells: [.text("420102"), .text("11010519491231002X"), .text("王芳")])
        // act
        let record = try header.record(from: row, today: fixedToday).get()
        // check
        #expect(record.name == "王芳")
        #expect(record.regionCode == "420102")
        #expect(record.residentID.value == "11010519491231002X")
    }

    @Test("a BOM, surrounding spaces and trailing empty header cells are tolerated")
    func tolerated() throws {
        let header = try CensusHeader.parse(headerRow(["\u{FEFF}姓名", " 身份证号 ", "地区代码\u{3000}", "", ""])).get()
        #expect(header.columns == [.name, .residentID, .regionCode])
    }

    @Test("an unknown column is named in the message")
    func unknownColumn() {
        let issues = CensusHeader.parse(headerRow(["姓名", "身份证号", "地区代码", "备注"])).failureValue ?? []
        #expect(issues.count == 1)
        #expect(issues.first?.code == "census.column.unknown")
        #expect(issues.first?.column == "备注")
        #expect(issues.first?.row == 1)
        #expect(issues.first?.message.contains("第 D 列的列名“备注”不是模板中的列") == true)
    }

    @Test("a near miss is named and the intended column suggested; the required column is then missing")
    func nearMiss() {
        let issues = CensusHeader.parse(headerRow(["姓名", "身份证号码", "地区代码"])).failureValue ?? []
        #expect(issues.map(\.code) == ["census.column.unknown", "census.column.missing"])
        #expect(issues[0].message.contains("“身份证号码”") && issues[0].message.contains("是否应为“身份证号”"))
    }

    @Test("a missing required column is named")
    func missingColumn() {
        let issues = CensusHeader.parse(headerRow(["姓名", "地区代码", "手机号"])).failureValue ?? []
        #expect(issues.count == 1)
        #expect(issues.first?.code == "census.column.missing")
        #expect(issues.first?.column == "身份证号")
        #expect(issues.first?.message == "缺少必填列“身份证号”；请在表头中加入这一列")
    }

    @Test("every missing required column is reported")
    func allMissingColumns() {
        let issues = CensusHeader.parse(headerRow(["手机号"])).failureValue ?? []
        #expect(issues.compactMap(\.column) == ["姓名", "身份证号", "地区代码"])
    }

    @Test("a duplicate column is reported with both positions")
    func duplicateColumn() {
        let issues = CensusHeader.parse(headerRow(["姓名", "身份证号", "地区代码", "姓名"])).failureValue ?? []
        #expect(issues.map(\.code) == ["census.column.duplicate"])
        #expect(issues.first?.message.contains("第 A 列和第 D 列") == true)
    }

    @Test("an empty header row is reported")
    func emptyHeader() {
        #expect(CensusHeader.parse(headerRow([])).failureValue?.map(\.code) == ["census.header.empty"])
        #expect(CensusHeader.parse(headerRow(["", " "])).failureValue?.map(\.code) == ["census.header.empty"])
    }

    @Test("a title row above the header is recognised as such")
    func titleRow() {
        let issues = CensusHeader.parse(headerRow(["宣城市社会工作人才信息采集表"])).failureValue ?? []
        #expect(issues.map(\.code) == ["census.header.unrecognized"])
        #expect(issues.first?.message.contains("标题行") == true)
    }

    @Test("column letters follow Excel")
    func letters() {
        #expect([0, 25, 26, 27, 701, 702].map(CensusColumn.letter(ofIndex:)) == ["A", "Z", "AA", "AB", "ZZ", "AAA"])
    }
}
