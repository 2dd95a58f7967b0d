import Foundation

// What the readiness answer says when the server cannot take traffic yet (docs/operations.md).
extension Catalogue {
    public static let operationsEntries: [CatalogueEntry] = [
        .init("ready.not_ready", "服务尚未就绪", "The server is not ready"),
        .init("ready.database", "数据库无法连接", "The database does not answer"),
        .init("ready.migrations", "数据库结构未更新：{0} 项迁移尚未执行（{1}）", "The database schema is behind: {0} migrations not applied ({1})"),
    ]
}
