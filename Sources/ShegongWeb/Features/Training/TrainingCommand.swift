import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// `shegong training import-enrolments|import-attendance FILE --session ID --as USER`: the bulk
/// lists an office keeps in a spreadsheet (docs/training.md "Bulk enrolment and attendance").
enum TrainingCommands {
    static var group: any AsyncCommandGroup {
        var commands = AsyncCommands()
        commands.use(TrainingImportCommand(kind: .enrolment), as: "import-enrolments")
        commands.use(TrainingImportCommand(kind: .attendance), as: "import-attendance")
        return commands.group(help: "Training: import a session's enrolments or attendance from CSV or XLSX.")
    }
}

struct TrainingImportCommand: AsyncCommand {
    let kind: TrainingSheet.Kind

    struct Signature: CommandSignature {
        @Argument(name: "file", help: "CSV (UTF-8, GB18030, UTF-16) or XLSX with the columns 身份证号, 姓名 (optional), and for attendance 日期 and 学时.")
        var file: String
        @Option(name: "session", help: "The session's id.")
        var session: String?
        var account: Option<String> = .account()
    }

    var help: String {
        kind == .enrolment ? "Enrol everyone listed in a session, all or nothing (a row naming an unknown person fails the file)."
            : "Record attendance (date and hours per person), all or nothing."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let session = signature.session, !session.isEmpty else { throw CommandFailure("请用 --session 指定班次 id") }
        let command = kind == .enrolment ? "training import-enrolments" : "training import-attendance"
        let caller = try await context.caller(as: signature.account.wrappedValue, command: command)
        let training = TrainingService(context: try await context.services(), caller: caller)
        let reader: any SpreadsheetRowReader
        do {
            reader = try Spreadsheet.openReader(url: URL(fileURLWithPath: signature.file), preferredSheet: nil)
        } catch let error as SpreadsheetError {
            throw CommandFailure("\(signature.file)：\(error.message)")
        }
        do {
            let result = try await training.importSheet(session: session, kind: kind, reader: reader)
            context.console.print(kind == .enrolment ? "已报名 \(result.enrolled) 人，候补 \(result.waiting) 人" : "已登记 \(result.rows) 条考勤")
        } catch let error as StoreError {
            for detail in error.details { context.console.error(detail.message) }
            throw CommandFailure(error.message)
        }
    }
}
