import Foundation
import Testing
import ShegongDomain

@Suite("Department statistics: which figures a department enters")
struct DepartmentStatisticsTests {
    static let yaml = """
    departments:
      - name: 教育部门
        keywords: [教育]
        statistics: [schools, schools_with_social_work]
      - name: 民政部门
        keywords: [民政]
        statistics: [population_60_plus, elderly_care_beds]
      - name: 卫生健康部门
        keywords: [卫生健康, 卫健]
        statistics: [population_60_plus]
    """

    @Test("a grant's free-text department name finds its field by keyword; several rules add up; no match enters nothing")
    func matching() throws {
        let rules = try DepartmentStatistics.parse(yaml: Self.yaml)
        #expect(rules.statistics(department: "酒泉市教育局") == [.schools, .schoolsWithSocialWork])
        #expect(rules.statistics(department: "市卫健委") == [.population60Plus])
        #expect(rules.statistics(department: "民政和卫生健康联合办公室") == [.population60Plus, .elderlyCareBeds])
        #expect(rules.statistics(department: "市委组织部").isEmpty)
    }

    @Test("a bad file is refused naming the entry and key", arguments: [
        ("departments:\n  - name: 教育\n    keywords: [教育]\n    statistics: [schools]\n    owner: x\n", "departments[0].owner"),
        ("departments:\n  - name: 教育\n    keywords: [教育]\n    statistics: [school_count]\n", "departments[0].statistics[0]"),
        ("departments:\n  - name: 教育\n    keywords: []\n    statistics: [schools]\n", "departments[0].keywords"),
        ("departments:\n  - name: 教育\n    keywords: [教育]\n", "departments[0].statistics"),
        ("departments:\n  - keywords: [教育]\n    statistics: [schools]\n", "departments[0].name"),
        ("rules: []\n", "departments"),
        ("departments: []\nextra: 1\n", "extra"),
    ])
    func refused(text: String, path: String) {
        #expect(throws: DepartmentStatistics.FileError.self) { try DepartmentStatistics.parse(yaml: text) }
        do {
            _ = try DepartmentStatistics.parse(yaml: text)
        } catch let error as DepartmentStatistics.FileError {
            #expect(error.path == path, "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
