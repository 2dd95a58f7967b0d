import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// The home page's to-dos (issue #18 §4): what waits for the signed-in account, each with its
/// count and the page where it is done. The counts come from `TodoService` (scoped, in SQL);
/// the imports waiting for their commit are the account's own uploads, kept in memory by the
/// import wizard (`ImportUploads`).
struct HomeTodos {
    var todos: Todos
    var imports: [(token: String, fileName: String)]

    var isEmpty: Bool { todos.isEmpty && imports.isEmpty }

    static func load(_ req: Request, _ ctx: PageContext) async throws -> HomeTodos {
        let todos = try await TodoService(context: req.services, caller: try req.caller).todos()
        let imports = PeoplePages.mayWrite(ctx.principal)
            ? try await req.application.shegong.importUploads.awaitingCommit(owner: ctx.principal.userID) : []
        return HomeTodos(todos: todos, imports: imports)
    }
}

enum TodoView {
    static func section(_ ctx: PageContext, _ model: HomeTodos) -> Node {
        let t = ctx.t, todos = model.todos
        func item(_ id: String, _ count: Int, _ path: String, _ key: String) -> Node {
            .if(count > 0, .li(.id(id), .data("data-count", String(count)), .link(path, t(key, String(count)))))
        }
        return .section(.id("todos"), .h2(.text(t("todo.title"))),
                        .if(model.isEmpty, .p(.id("todos-none"), .class("muted"), .text(t("todo.none")))),
                        .if(!model.isEmpty, .ul(
                            item("todo-applications", todos.applicationsToReview, "/incentives#applications", "todo.applications"),
                            item("todo-batches-approve", todos.batchesToApprove, "/incentives#batches", "todo.batches_approve"),
                            item("todo-batches-paid", todos.batchesToMarkPaid, "/incentives#batches", "todo.batches_paid"),
                            .forEach(todos.measures) { m in
                                .li(.class("todo-measures"), .data("data-plan", m.planID), .data("data-overdue", String(m.overdue)),
                                    .data("data-due", String(m.due)),
                                    .link("/plans/\(m.planID)", t("todo.measures", m.planName, String(m.overdue), String(TodoService.dueWindowDays), String(m.due))))
                            },
                            .forEach(model.imports) { upload in
                                .li(.class("todo-import"), .link("/import/\(upload.token)", t("todo.import", upload.fileName)))
                            })))
    }
}
