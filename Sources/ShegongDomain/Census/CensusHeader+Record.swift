import Foundation

extension CensusHeader {
    /// The national social-work qualification exam was first held in 2008, so no certificate
    /// can have been issued earlier.
    public static let firstExamYear = 2008

    /// 姓名: 1–50 characters (DESIGN §5).
    public static let maximumNameLength = 50

    /// Separators accepted between service fields (DESIGN §5 names 、 and ;). Full-width and
    /// ASCII forms of ; and , plus spaces are accepted too: none can occur inside a field name.
    static let serviceFieldSeparators = CharacterSet(charactersIn: "、;；,，").union(.whitespacesAndNewlines)

    /// Validates one data row and returns every problem it has, not only the first.
    /// `today` bounds certificate issue dates and birth dates (inject it; tests use a fixed day).
    public func record(from row: SpreadsheetRow, today: CivilDate) -> Result<CensusRecord, [CensusIssue]> {
        var reader = RowReader(row: row, header: self)

        // Content under a column without a header would otherwise be silently dropped.
        let mapped = Set(indexes.values)
        for (index, cell) in row.cells.enumerated() where !mapped.contains(index) && !cell.isEmpty {
            reader.issues.append(CensusIssue(
                row: row.number, column: nil, value: cell.text, code: "census.column.unnamed",
                message: "第 \(CensusColumn.letter(ofIndex: index)) 列没有列名，但填写了内容；请删除该内容，或把它移到对应的模板列"))
        }

        // 姓名
        let name = reader.text(.name)
        if name.isEmpty {
            reader.fail(.name, nil, "census.name.missing", "姓名为空；姓名必填")
        } else if name.count > Self.maximumNameLength {
            reader.fail(.name, name, "census.name.too_long",
                        "姓名有 \(name.count) 个字符，最多 \(Self.maximumNameLength) 个")
        }

        // 身份证号
        var residentID: ResidentID?
        switch reader.cell(.residentID) {
        case let cell where cell.isEmpty:
            reader.fail(.residentID, nil, "census.id.missing", "身份证号为空；身份证号必填")
        case .number(_, let raw):
            // 18 digits exceed a double's 15–16 significant digits: the last ones are already gone.
            reader.fail(.residentID, raw, "census.id.number_cell",
                        "身份证号被 Excel 存成了数字（\(raw)），超过 15 位的数字会丢失末几位且无法恢复；请把该列设为“文本”格式后重新录入身份证号")
        case let cell:
            switch ResidentID.parse(cell.text, today: today) {
            case .success(let id): residentID = id
            case .failure(let error): reader.fail(.residentID, cell.text, "census.id.invalid", error.message)
            }
        }

        // 性别
        let sexText = reader.text(.sex)
        if !sexText.isEmpty {
            if let sex = Sex(rawValue: sexText) {
                if let id = residentID, id.sex != sex {
                    reader.fail(.sex, sexText, "census.sex.mismatch",
                                "性别填写为“\(sex.rawValue)”，但身份证号第 17 位为\(id.sex == .male ? "奇数，表示男性" : "偶数，表示女性")；请核对性别或身份证号")
                }
            } else {
                reader.fail(.sex, sexText, "census.sex.invalid", "性别应为“男”或“女”，实际为“\(sexText)”")
            }
        }

        // 手机号 (an XLSX number cell holds 11 digits exactly, so it is fine)
        var mobile: MobileNumber?
        let mobileText = reader.text(.mobile)
        if !mobileText.isEmpty {
            switch MobileNumber.parse(mobileText) {
            case .success(let number): mobile = number
            case .failure(let error): reader.fail(.mobile, mobileText, "census.mobile.invalid", error.message)
            }
        }

        // 地区代码
        var regionCode: RegionCode?
        let regionText = reader.text(.regionCode)
        if regionText.isEmpty {
            reader.fail(.regionCode, nil, "census.region.missing",
                        "地区代码为空；请填写工作所在县（6 位）、乡镇街道（9 位）或村社区（12 位）的代码")
        } else {
            switch RegionCode.parse(regionText) {
            case .success(let code): regionCode = code
            case .failure(let error): reader.fail(.regionCode, regionText, "census.region.invalid", error.message)
            }
        }

        // 工作单位
        let employerText = reader.text(.employerName)
        let employerName = employerText.isEmpty ? nil : employerText

        // 统一社会信用代码
        var employerCode: SocialCreditCode?
        switch reader.cell(.employerCode) {
        case let cell where cell.isEmpty: break
        case .number(_, let raw):
            reader.fail(.employerCode, raw, "census.uscc.number_cell",
                        "统一社会信用代码被 Excel 存成了数字（\(raw)），末几位已丢失；请把该列设为“文本”格式后重新录入")
        case let cell:
            switch SocialCreditCode.parse(cell.text) {
            case .success(let code): employerCode = code
            case .failure(let error): reader.fail(.employerCode, cell.text, "census.uscc.invalid", error.message)
            }
        }

        // 人员类别
        let postCategory: PostCategory? = reader.choice(.postCategory, code: "census.post_category.invalid")

        // 服务领域
        var serviceFields: [ServiceField] = []
        let fieldsText = reader.text(.serviceFields)
        if !fieldsText.isEmpty {
            let parts = fieldsText.components(separatedBy: Self.serviceFieldSeparators).filter { !$0.isEmpty }
            var unknown: [String] = []
            for part in parts {
                if let field = ServiceField(rawValue: part) { serviceFields.append(field) } else { unknown.append(part) }
            }
            if !unknown.isEmpty {
                reader.fail(.serviceFields, fieldsText, "census.service_field.invalid",
                            "服务领域中的\(unknown.map { "“\($0)”" }.joined())不在列表中；可填：\(ServiceField.allCases.map(\.rawValue).joined(separator: "、"))，多个用“、”或“；”分隔")
            }
        }

        // 最高学历
        let education: EducationLevel? = reader.choice(.education, code: "census.education.invalid")

        // 社会工作专业
        var socialWorkDegree: Bool?
        switch reader.cell(.socialWorkDegree) {
        case let cell where cell.isEmpty: break
        case .bool(let value): socialWorkDegree = value
        case let cell:
            let text = reader.text(.socialWorkDegree)
            switch text {
            case "是": socialWorkDegree = true
            case "否": socialWorkDegree = false
            default:
                reader.fail(.socialWorkDegree, cell.text, "census.social_work_degree.invalid",
                            "社会工作专业应填“是”或“否”，实际为“\(text)”")
            }
        }

        // 证书等级, 证书编号, 发证日期
        var certificate: CensusCertificate?
        let levelText = reader.text(.certificateLevel)
        let numberText = reader.text(.certificateNumber)
        let dateCell = reader.cell(.issueDate)
        if levelText.isEmpty || levelText == Self.noCertificate {
            // Without a level the number and date would be dropped on import: say so instead.
            if !numberText.isEmpty {
                reader.fail(.certificateNumber, numberText, "census.certificate.number.unexpected",
                            "证书等级为空或“无”，却填写了证书编号；请填写证书等级，或删除证书编号")
            }
            if !dateCell.isEmpty {
                reader.fail(.issueDate, dateCell.text, "census.certificate.issue_date.unexpected",
                            "证书等级为空或“无”，却填写了发证日期；请填写证书等级，或删除发证日期")
            }
        } else if let level = CertificateLevel(rawValue: levelText) {
            if numberText.isEmpty {
                reader.fail(.certificateNumber, nil, "census.certificate.number.missing",
                            "证书等级为“\(level.rawValue)”时必须填写证书编号")
            }
            let issueDate = reader.issueDate(dateCell, level: level, today: today)
            if let issueDate, !numberText.isEmpty {
                certificate = CensusCertificate(level: level, number: numberText, issueDate: issueDate)
            }
        } else {
            reader.fail(.certificateLevel, levelText, "census.certificate.level.invalid",
                        "证书等级“\(levelText)”不在列表中；应为：无、\(CertificateLevel.allCases.map(\.rawValue).joined(separator: "、"))")
        }

        guard reader.issues.isEmpty, let residentID, let regionCode else {
            return .failure(reader.issues)
        }
        return .success(CensusRecord(
            row: row.number, name: name, residentID: residentID, sex: residentID.sex, mobile: mobile,
            regionCode: regionCode.value, employerName: employerName, employerCode: employerCode,
            postCategory: postCategory, serviceFields: serviceFields, education: education,
            socialWorkDegree: socialWorkDegree, certificate: certificate))
    }
}

/// Reads one data row through a header and collects its issues.
private struct RowReader {
    let row: SpreadsheetRow
    let header: CensusHeader
    var issues: [CensusIssue] = []

    init(row: SpreadsheetRow, header: CensusHeader) {
        self.row = row
        self.header = header
    }

    /// The cell of `column`, `.empty` when the file has no such column.
    func cell(_ column: CensusColumn) -> SpreadsheetCell {
        guard let index = header.indexes[column] else { return .empty }
        return row[index]
    }

    /// The cell as text with surrounding spaces (including full-width and non-breaking ones) removed.
    /// The cell's text, trimmed. The apostrophe that a CSV export puts before a leading = + - @
    /// (FormulaGuard) is taken off again, so an exported file imports back unchanged.
    func text(_ column: CensusColumn) -> String {
        let raw = cell(column).text
        // Most cells need no trimming; checking the ends first skips Foundation's slow path.
        let ends = [raw.unicodeScalars.first, raw.unicodeScalars.last].compactMap { $0 }
        let text = ends.contains(where: CharacterSet.whitespacesAndNewlines.contains)
            ? raw.trimmingCharacters(in: .whitespacesAndNewlines) : raw
        if text.hasPrefix("'"), let next = text.dropFirst().first, "=+-@".contains(next) {
            return String(text.dropFirst())
        }
        return text
    }

    mutating func fail(_ column: CensusColumn, _ value: String?, _ code: String, _ message: String) {
        issues.append(CensusIssue(row: row.number, column: column, value: value, code: code, message: message))
    }

    /// A value from a closed list (raw values of `Choice`); empty means not given.
    mutating func choice<Choice: RawRepresentable & CaseIterable>(_ column: CensusColumn, code: String) -> Choice?
    where Choice.RawValue == String {
        let text = text(column)
        guard !text.isEmpty else { return nil }
        if let value = Choice(rawValue: text) { return value }
        fail(column, text, code,
             "\(column.rawValue)“\(text)”不在列表中；应为以下之一：\(Choice.allCases.map(\.rawValue).joined(separator: "、"))")
        return nil
    }

    /// 发证日期: a date cell, an XLSX serial number, `YYYY-MM-DD` or `YYYY/M/D`; between the first
    /// exam year and `today`.
    mutating func issueDate(_ cell: SpreadsheetCell, level: CertificateLevel, today: CivilDate) -> CivilDate? {
        let date: CivilDate?
        switch cell {
        case let cell where cell.isEmpty:
            fail(.issueDate, nil, "census.certificate.issue_date.missing",
                 "证书等级为“\(level.rawValue)”时必须填写发证日期（如 2024-06-15）")
            return nil
        case .date(let d): date = d
        case .number(let serial, _): date = CivilDate(excelSerial: serial)
        case .text(let text): date = CivilDate(censusText: text)
        case .bool, .empty: date = nil
        }
        guard let date else {
            fail(.issueDate, cell.text, "census.certificate.issue_date.invalid",
                 "发证日期“\(cell.text.trimmingCharacters(in: .whitespacesAndNewlines))”无法识别；请写成 YYYY-MM-DD（如 2024-06-15）或 YYYY/M/D，或使用 Excel 的日期格式")
            return nil
        }
        if date > today {
            fail(.issueDate, cell.text, "census.certificate.issue_date.future",
                 "发证日期 \(date) 晚于今天（\(today)）；请核对发证日期")
            return nil
        }
        if date.year < CensusHeader.firstExamYear {
            fail(.issueDate, cell.text, "census.certificate.issue_date.too_early",
                 "发证日期 \(date) 早于 \(CensusHeader.firstExamYear) 年；全国社会工作者职业水平考试自 \(CensusHeader.firstExamYear) 年起举行，证书不会更早");
            return nil
        }
        return date
    }
}
