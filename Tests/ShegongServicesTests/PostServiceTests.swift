import FluentKit
import Foundation
import SQLKit
import ShegongDomain
import ShegongServices
import ShegongStore
import Testing

/// Social-work posts through the service (issue #14 §2): totals by region and kind of organisation
/// computed in SQL inside the caller's scope, fills linked to employments, and the refusals — a
/// post filled twice, negative numbers, someone not employed there — with nothing written.
@Suite struct PostServiceTests {
    static let suzhou = "620902", jinta = "620921", xuanzhou = "341802"

    /// A valid unified social credit code for test organisation `serial` of `county`.
    static func creditCode(_ county: String, _ serial: Int) -> String {
        let first17 = "52" + county + String(format: "%09d", serial)
        return first17 + String(SocialCreditCode.checkCharacter(for: first17))
    }

    static func organization(_ context: ServiceContext, _ name: String, kind: String, county: String, serial: Int) async throws -> OrganizationInfo {
        try await OrganizationStore(db: context.db).create(.init(name: name, creditCode: creditCode(county, serial), kind: kind, regionCode: county))
    }

    /// A person employed by `organization` (saved as the import would: the setup, not the use case).
    static func employee(_ context: ServiceContext, _ n: Int, name: String, of organization: OrganizationInfo) async throws -> String {
        let county = organization.regionCode!
        let id = try #require(ResidentID.make(addressCode: county, birthDate: CivilDate(year: 1990, month: 3, day: 8)!, sequence: n))
        guard case .success(let code) = SocialCreditCode.parse(organization.creditCode!) else { throw Unexpected() }
        let record = CensusRecord(row: n, name: name, residentID: id, regionCode: county, employerName: organization.name, employerCode: code,
                                  postCategory: .socialWorkOrganization)
        return try await PersonStore(db: context.db, cipher: context.cipher).save(record, target: nil, actor: "setup", source: "test").personID
    }

    struct Unexpected: Error {}

    /// A total as "key organisations posts set filled vacant".
    static func text(_ total: PostTotal) -> String {
        "\(total.key ?? "-") \(total.organizations) \(total.posts) \(total.numberSet) \(total.filled) \(total.vacancies)"
    }

    static func count(_ context: ServiceContext, _ table: String) async throws -> Int {
        try await context.sql.select().column(SQLAlias(SQLRaw("COUNT(*)"), as: SQLIdentifier("n"))).from(table).first()!.decode(column: "n", as: Int.self)
    }

    @Test func totalsCountPlacesSetFilledAndVacantByRegionAndKindInsideTheCallersScope() async throws {
        try await ServiceTestDatabase.with { context in
            // setup: a social-work organisation in 肃州区 with three staff, a school in 金塔县 with one, a
            // hospital in 宣州区 (outside Jiuquan); posts of 3, 2 and 1 places
            let agency = try await Self.organization(context, "肃州区阳光社会工作服务中心", kind: "社工机构", county: Self.suzhou, serial: 1)
            let school = try await Self.organization(context, "金塔中学", kind: "学校", county: Self.jinta, serial: 2)
            let hospital = try await Self.organization(context, "宣城市人民医院", kind: "医院", county: Self.xuanzhou, serial: 3)
            let a1 = try await Self.employee(context, 1, name: "张一", of: agency)
            let a2 = try await Self.employee(context, 2, name: "张二", of: agency)
            _ = try await Self.employee(context, 3, name: "张三", of: agency)
            let s1 = try await Self.employee(context, 4, name: "李四", of: school)
            let official = try await context.caller(.official("620900", .readWrite), username: "jiuquan")
            let posts = PostService(context: context, caller: official)
            let agencyPost = try await posts.create(organizationID: agency.id, PostInput(category: "社工机构从业人员", name: "专职社工岗", numberSet: 3,
                                                                                        funding: "购买服务", setOn: "2023-06-30"))
            let schoolPost = try await posts.create(organizationID: school.id, PostInput(category: "机关事业单位人员", name: "学校社工岗", numberSet: 2,
                                                                                        funding: "fiscal", setOn: "2024-06-30"))
            let xuancheng = try await context.caller(.official("341800", .readWrite), username: "xuancheng")
            _ = try await PostService(context: context, caller: xuancheng).create(organizationID: hospital.id,
                                                                                 PostInput(category: "机关事业单位人员", numberSet: 1, funding: "财政"))
            _ = try await posts.fill(postID: agencyPost.id, PostFillInput(personID: a1, from: "2024-03-01"))
            _ = try await posts.fill(postID: agencyPost.id, PostFillInput(personID: a2))
            _ = try await posts.fill(postID: schoolPost.id, PostFillInput(personID: s1))
            // act
            let totals = try await posts.totals(regionCode: nil)
            // check: Jiuquan's two posts, not Xuancheng's; 5 places, 3 filled, 2 vacant
            #expect(Self.text(totals.all) == "- 2 2 5 3 2")
            #expect(totals.byRegion.map(Self.text) == ["620902 1 1 3 2 1", "620921 1 1 2 1 1"])
            #expect(Set(totals.byOrganizationKind.map { "\($0.key ?? "") \($0.numberSet)/\($0.filled)" }) == ["学校 2/1", "社工机构 3/2"])
            #expect(totals.organizationNames[agency.id] == "肃州区阳光社会工作服务中心")
            // the line: nothing set before mid-2023, 3 places at the end of 2023 (one filled from March 2024), 5 today
            let line = Dictionary(uniqueKeysWithValues: totals.trend.map { ($0.date, "\($0.numberSet)/\($0.filled)") })
            #expect(line["2022-12-31"] == "0/0")
            #expect(line["2023-12-31"] == "3/0")
            #expect(line["2024-12-31"] == "5/1")
            #expect(line[context.today.description] == "5/3")
            // the posts of one organisation, with who fills them
            let listed = try await posts.posts(of: agency.id).posts
            #expect(listed.map(\.vacancies) == [1])
            #expect(Set(listed.first!.holders.map(\.personName)) == ["张一", "张二"])
            // an organisation manager sees their own organisation's totals only
            let manager = try await context.caller(.organizationManager(organization: school.id), username: "school")
            let own = try await PostService(context: context, caller: manager).totals(regionCode: nil)
            #expect(Self.text(own.all) == "- 1 1 2 1 1")
            // a county official sees their county's only
            let jinta = try await context.caller(.official(Self.jinta, .read), username: "jinta")
            #expect(try await PostService(context: context, caller: jinta).totals(regionCode: nil).all.numberSet == 2)
        }
    }

    @Test func aPostFilledTwiceIsRefusedWithBothNumbersAndNothingIsWritten() async throws {
        try await ServiceTestDatabase.with { context in
            // setup: a post of one place, filled
            let agency = try await Self.organization(context, "敦煌市飞天社会工作服务中心", kind: "社工机构", county: "620982", serial: 5)
            let first = try await Self.employee(context, 1, name: "王一", of: agency)
            let second = try await Self.employee(context, 2, name: "王二", of: agency)
            let manager = try await context.caller(.organizationManager(organization: agency.id), username: "feitian")
            let posts = PostService(context: context, caller: manager)
            let post = try await posts.create(organizationID: agency.id, PostInput(category: "社工机构从业人员", name: "督导岗", numberSet: 1, funding: "单位自筹"))
            _ = try await posts.fill(postID: post.id, PostFillInput(personID: first))
            // act
            let error = await #expect(throws: StoreError.self) { try await posts.fill(postID: post.id, PostFillInput(personID: second)) }
            let again = await #expect(throws: StoreError.self) { try await posts.fill(postID: post.id, PostFillInput(personID: first)) }
            // check: the refusal names the post and its numbers; one holder, one fill, one audit entry
            #expect(error?.code == "posts.fill.full")
            #expect(error?.message == "岗位「督导岗」设岗 1 个，已有 1 人在岗，不能再安排人员上岗")
            #expect(error?.details.map(\.field) == ["personID"])
            #expect(again?.code == "posts.fill.already")
            #expect(try await posts.posts(of: agency.id).posts.first?.holders.map(\.personName) == ["王一"])
            #expect(try await Self.count(context, "post_fills") == 1)
            #expect(try await context.auditLog.search(sql: context.sql, AuditQuery(action: "post.fill")).count == 1)
            // lowering the places below the holders is refused too
            let lowered = await #expect(throws: StoreError.self) {
                try await posts.update(postID: post.id, PostInput(category: "社工机构从业人员", name: "督导岗", numberSet: 0, funding: "单位自筹"))
            }
            #expect(lowered?.details.map(\.code).contains("bases.number.range") == true)
        }
    }

    @Test func negativePlacesAnUnknownFundingAndSomeoneNotEmployedThereAreRefusedNamingTheField() async throws {
        try await ServiceTestDatabase.with { context in
            // setup: two organisations, a person employed by the second
            let agency = try await Self.organization(context, "金塔县社会工作服务中心", kind: "社工机构", county: Self.jinta, serial: 7)
            let other = try await Self.organization(context, "金塔县民政局", kind: "行政机关", county: Self.jinta, serial: 8)
            let outsider = try await Self.employee(context, 1, name: "赵六", of: other)
            let official = try await context.caller(.official(Self.jinta, .readWrite), username: "jinta-rw")
            let posts = PostService(context: context, caller: official)
            // act
            let negative = await #expect(throws: StoreError.self) {
                try await posts.create(organizationID: agency.id, PostInput(category: "社工机构从业人员", numberSet: -2, funding: "包干"))
            }
            let post = try await posts.create(organizationID: agency.id, PostInput(category: "社工机构从业人员", numberSet: 2, funding: "other"))
            let notEmployed = await #expect(throws: StoreError.self) { try await posts.fill(postID: post.id, PostFillInput(personID: outsider)) }
            // check
            #expect(negative?.details.map(\.field) == ["numberSet", "funding"])
            #expect(negative?.details.first?.code == "bases.number.negative")
            #expect(notEmployed?.message == "赵六 目前不在 金塔县社会工作服务中心 任职，不能在该单位的岗位上岗")
            #expect(try await Self.count(context, "org_posts") == 1)
            #expect(try await Self.count(context, "post_fills") == 0)
        }
    }

    @Test func anotherCountysOrganisationsPostsAreTheAuditedNotFound() async throws {
        try await ServiceTestDatabase.with { context in
            // setup: a post in 肃州区; an official of 金塔县
            let agency = try await Self.organization(context, "肃州区社会工作服务站", kind: "社工机构", county: Self.suzhou, serial: 9)
            let suzhou = try await context.caller(.official(Self.suzhou, .readWrite), username: "suzhou")
            let post = try await PostService(context: context, caller: suzhou).create(organizationID: agency.id,
                                                                                       PostInput(category: "社区工作者", numberSet: 1, funding: "财政"))
            let jinta = try await context.caller(.official(Self.jinta, .readWrite), username: "jinta")
            let posts = PostService(context: context, caller: jinta)
            // act
            let listed = await #expect(throws: StoreError.self) { try await posts.posts(of: agency.id) }
            let changed = await #expect(throws: StoreError.self) {
                try await posts.update(postID: post.id, PostInput(category: "社区工作者", numberSet: 5, funding: "财政"))
            }
            // check
            #expect(listed?.kind == .notFound)
            #expect(changed?.kind == .notFound)
            let denied = try await context.auditLog.search(sql: context.sql, AuditQuery(action: "access.denied")).map(\.entry)
            #expect(denied.map(\.actor) == ["jinta", "jinta"])
            #expect(try await posts.totals(regionCode: nil).all.posts == 0)
        }
    }

    @Test func theDemoLoadsJiuquansBasesAndXuanchengsPostsOnce() async throws {
        try await ServiceTestDatabase.with { context in
            // act: the demo with people, twice
            _ = try await DemoDataSet(people: 300, seed: 11, progressReports: false).load(db: context.db, cipher: context.cipher)
            let bases = try await Self.count(context, "practice_bases"), posts = try await Self.count(context, "org_posts")
            let fills = try await Self.count(context, "post_fills"), placements = try await Self.count(context, "practice_base_placements")
            _ = try await DemoDataSet(people: 300, seed: 11, progressReports: false).load(db: context.db, cipher: context.cipher)
            // check: the city, college, Dunhuang and county bases; Dunhuang's serves the four western counties
            let official = try await context.caller(.official("620900", .read), username: "jiuquan")
            let listed = try await PracticeBaseService(context: context, caller: official).list(regionCode: nil).bases
            #expect(listed.count == 9)
            #expect(Set(listed.map(\.level)) == ["city", "college", "county"])
            let dunhuang = try #require(listed.first { $0.name.hasPrefix("敦煌市社会工作专业人员实践基地") })
            #expect(try await PracticeBaseService(context: context, caller: official).base(dunhuang.id).servedRegions == ["620922", "620923", "620924", "620982"])
            #expect(placements > 0)
            // Xuancheng's posts, some filled by its demo people, some vacant
            let xuancheng = try await context.caller(.official("341800", .read), username: "xuancheng")
            let totals = try await PostService(context: context, caller: xuancheng).totals(regionCode: nil)
            #expect(totals.all.posts == posts)
            #expect(totals.all.filled > 0)
            #expect(totals.all.vacancies > 0)
            #expect(totals.trend.map(\.numberSet) == totals.trend.map(\.numberSet).sorted(), "posts set only grow over the years")
            // loading again added nothing
            #expect(try await Self.count(context, "practice_bases") == bases)
            #expect(try await Self.count(context, "org_posts") == posts)
            #expect(try await Self.count(context, "post_fills") == fills)
            #expect(try await Self.count(context, "practice_base_placements") == placements)
        }
    }
}
