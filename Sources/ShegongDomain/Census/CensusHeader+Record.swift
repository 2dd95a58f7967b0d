import Foundation

extension CensusHeader {
    /// The national social-work qualification exam was first held in 2008, so no certificate
    /// can have been issued earlier.
    public static let firstExamYear = 2008

    /// 姓名: 1–50 characters (docs/conventions.md §5).
    public static let maximumNameLength = 50

    /// Separators accepted between service fields (docs/conventions.md §5 names 、 and ;). Full-width and
    /// ASCII forms of ; and , plus spaces are accepted too: none can occur inside a field name.
    static let serviceFieldSeparators = CharacterSet(charactersIn: "、;；,，").union(.whitespacesAndNewlines)

    /// Validates one data row and returns every problem it has, not only the first.
    /// `today` bounds certificate issue dates and birth dates (inject it; tests use a fixed day).
    public func record(from row: SpreadsheetRow, today: CivilDate) -> Result<CensusRecord, [CensusIssue]> {
        var reader = RowReader(row: row, header: self)

        // Content under a column without a header would otherwise be silently dropped.
        for (index, cell) in row.cells.enumerated() where !known.contains(index) && !cell.isEmpty {
            reader.issues.append(CensusIssue(
                row: row.number, column: nil, value: cell.text, code: "census.column.unnamed", CensusColumn.letter(ofIndex: index)))
        }

        // 姓名
        let name = reader.text(.name)
        if name.isEmpty {
            reader.fail(.name, nil, "census.name.missing")
        } else if name.count > Self.maximumNameLength {
            reader.fail(.name, name, "census.name.too_long", String(name.count), String(Self.maximumNameLength))
        }

        // 身份证号
        var residentID: ResidentID?
        switch reader.cell(.residentID) {
        case let cell where cell.isEmpty:
            reader.fail(.residentID, nil, "census.id.missing")
        case .number(_, let raw):
            // 18 digits exceed a double's 15–16 significant digits: the last ones are already gone.
            reader.fail(.residentID, raw, "census.id.number_cell", raw)
        case let cell:
            switch ResidentID.parse(cell.text, today: today) {
            case .success(let id): residentID = id
            case .failure(let error): reader.fail(.residentID, cell.text, "census.id.invalid", text: error.text)
            }
        }

        // 性别
        let sexText = reader.text(.sex)
        if !sexText.isEmpty {
            if let sex = Sex(rawValue: sexText) {
                if let id = residentID, id.sex != sex {
                    reader.fail(.sex, sexText, "census.sex.mismatch", text: .init(id.sex == .male ? "census.sex.mismatch.male" : "census.sex.mismatch.female", sex.rawValue))
                }
            } else {
                reader.fail(.sex, sexText, "census.sex.invalid", sexText)
            }
        }

        // 手机号 (an XLSX number cell holds 11 digits exactly, so it is fine)
        var mobile: MobileNumber?
        let mobileText = reader.text(.mobile)
        if !mobileText.isEmpty {
            switch MobileNumber.parse(mobileText) {
            case .success(let number): mobile = number
            case .failure(let error): reader.fail(.mobile, mobileText, "census.mobile.invalid", text: error.text)
            }
        }

        // 地区代码
        var regionCode: RegionCode?
        let regionText = reader.text(.regionCode)
        if regionText.isEmpty {
            reader.fail(.regionCode, nil, "census.region.missing")
        } else {
            switch RegionCode.parse(regionText) {
            case .success(let code): regionCode = code
            case .failure(let error): reader.fail(.regionCode, regionText, "census.region.invalid", text: error.text)
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
            reader.fail(.employerCode, raw, "census.uscc.number_cell", raw)
        case let cell:
            switch SocialCreditCode.parse(cell.text) {
            case .success(let code): employerCode = code
            case .failure(let error): reader.fail(.employerCode, cell.text, "census.uscc.invalid", text: error.text)
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
                reader.fail(.serviceFields, fieldsText, "census.service_field.invalid", unknown.map { "“\($0)”" }.joined(),
                            ServiceField.allCases.map(\.rawValue).joined(separator: "、"))
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
                reader.fail(.socialWorkDegree, cell.text, "census.social_work_degree.invalid", text)
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
                reader.fail(.certificateNumber, numberText, "census.certificate.number.unexpected")
            }
            if !dateCell.isEmpty {
                reader.fail(.issueDate, dateCell.text, "census.certificate.issue_date.unexpected")
            }
        } else if let level = CertificateLevel(rawValue: levelText) {
            if numberText.isEmpty {
                reader.fail(.certificateNumber, nil, "census.certificate.number.missing", CatalogueMessage.name(level))
            }
            let issueDate = reader.issueDate(dateCell, level: level, today: today)
            if let issueDate, !numberText.isEmpty {
                certificate = CensusCertificate(level: level, number: numberText, issueDate: issueDate)
            }
        } else {
            reader.fail(.certificateLevel, levelText, "census.certificate.level.invalid", levelText,
                        ([Self.noCertificate] + CertificateLevel.allCases.map(\.rawValue)).joined(separator: "、"))
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
        let scalars = raw.unicodeScalars
        let text = scalars.first.map(Self.isSpace) == true || scalars.last.map(Self.isSpace) == true
            ? raw.trimmingCharacters(in: .whitespacesAndNewlines) : raw
        if text.hasPrefix("'"), let next = text.dropFirst().first, "=+-@".contains(next) {
            return String(text.dropFirst())
        }
        return text
    }

    /// Whether `scalar` is one that `text(_:)` trims: ASCII answered without Foundation's `CharacterSet`.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar == " " || (scalar.value >= 0x09 && scalar.value <= 0x0D) }
        return CharacterSet.whitespacesAndNewlines.contains(scalar)
    }

    mutating func fail(_ column: CensusColumn, _ value: String?, _ code: String, _ arguments: String...) {
        fail(column, value, code, text: CatalogueMessage(code, arguments: arguments))
    }

    mutating func fail(_ column: CensusColumn, _ value: String?, _ code: String, text: CatalogueMessage) {
        issues.append(CensusIssue(row: row.number, column: column, value: value, code: code, text: text))
    }

    /// A value from a closed list (raw values of `Choice`); empty means not given.
    mutating func choice<Choice: RawRepresentable & CaseIterable>(_ column: CensusColumn, code: String) -> Choice?
    where Choice.RawValue == String {
        let text = text(column)
        guard !text.isEmpty else { return nil }
        if let value = Choice(rawValue: text) { return value }
        fail(column, text, code, text, Choice.allCases.map(\.rawValue).joined(separator: "、"))
        return nil
    }

    /// 发证日期: a date cell, an XLSX serial number, `YYYY-MM-DD` or `YYYY/M/D`; between the first
    /// exam year and `today`.
    mutating func issueDate(_ cell: SpreadsheetCell, level: CertificateLevel, today: CivilDate) -> CivilDate? {
        let date: CivilDate?
        switch cell {
        case let cell where cell.isEmpty:
            fail(.issueDate, nil, "census.certificate.issue_date.missing", CatalogueMessage.name(level))
            return nil
        case .date(let d): date = d
        case .number(let serial, _): date = CivilDate(excelSerial: serial)
        case .text(let text): date = CivilDate(censusText: text)
        case .bool, .empty: date = nil
        }
        guard let date else {
            fail(.issueDate, cell.text, "census.certificate.issue_date.invalid", cell.text.trimmingCharacters(in: .whitespacesAndNewlines))
            return nil
        }
        if date > today {
            fail(.issueDate, cell.text, "census.certificate.issue_date.future", date.description, today.description)
            return nil
        }
        if date.year < CensusHeader.firstExamYear {
            fail(.issueDate, cell.text, "census.certificate.issue_date.too_early", date.description, String(CensusHeader.firstExamYear))
            return nil
        }
        return date
    }
}
