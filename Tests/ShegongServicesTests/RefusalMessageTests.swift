import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Testing

/// A refusal names the caller's role in the reader's language: an English page says “Official”,
/// the JSON API and the CLI keep “业务人员” (not the role's code).
@Suite struct RefusalMessageTests {
    @Test func aRefusalNamesTheRoleInTheLanguageOfItsReader() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            let record = try RegistryServiceTests.record(4, name: "Chen Jing", county: RegistryServiceTests.suzhou)
            let id = try await RegistryServiceTests.person(context, record)
            let reader = try await context.caller(.official(RegistryServiceTests.suzhou, .read), username: "reader.en")
            // act
            let refusal = await #expect(throws: AccessDenied.self) {
                _ = try await PersonService(context: context, caller: reader).save(record, target: id, source: "test")
            }
            // check
            #expect(refusal?.text.text(.en) == "Your account's role (Official) may not do this")
            #expect(refusal?.message == "当前账号的角色（业务人员）无权执行此操作")
        }
    }
}
