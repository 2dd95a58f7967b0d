import Foundation

extension Catalogue {
    /// Issue #10 (security review): login answers, the separation of the three administrators,
    /// TOTP re-binding.
    public static let securityEntries: [CatalogueEntry] = [
        .init("login.failed_generic", "用户名或密码不正确。连续失败 {0} 次后，账户可能被锁定 {1} 分钟。",
              "Wrong username or password. After {0} failed attempts in a row the account may be locked for {1} minutes."),
        .init("login.totp_required", "请输入动态验证码。", "Enter the authentication code."),
        .init("login.totp_invalid", "动态验证码不正确。", "The authentication code is wrong."),

        .init("account.denied.role", "当前管理员角色无权执行此操作。", "Your administrator role may not do this."),
        .init("account.denied.own_account", "不能对自己的账号执行此操作。", "You cannot do this to your own account."),
        .init("account.denied.administrator_account", "管理员账号只能在服务器上用命令行管理。",
              "Administrators' accounts are managed with the command line on the server only."),
        .init("account.denied.administrator_role", "管理员角色只能在服务器上用命令行授予。",
              "Administrator roles are granted with the command line on the server only."),
        .init("account.denied.administrator_exists", "该管理员角色已有人担任；其他管理员账号只能在服务器上用命令行创建。",
              "Someone already holds this administrator role; further administrators' accounts are created with the command line on the server only."),
        .init("admin.administrator_created", "已创建管理员账号 {0}（{1}）。一次性密码只显示这一次，请当面交给本人，首次登录须修改：",
              "Administrator account {0} ({1}) created. The one-time password is shown only this once; hand it to the person, who must change it at first sign-in:"),
        .init("admin.vacant_roles", "尚未设立：{0}。系统管理员可在此创建这两个管理员账号各一次（三员分立）。",
              "Not yet set up: {0}. The system administrator may create each of these two administrators here once (separation of the three administrators)."),
        .init("token.owner_administrator", "管理员账号 {0} 不能持有 API 令牌。", "The administrator account {0} cannot hold API tokens."),
        .init("totp.current_code_wrong", "当前设备上的动态验证码不正确。", "The code from the current authenticator is wrong."),

        .init("admin.admin_roles_cli_only", "管理员角色只能在服务器上用命令行授予。", "Administrator roles are granted with the command line on the server only."),
        .init("admin.user_requested", "已创建账号 {0}：由安全管理员确认角色与范围并签发一次性密码后方可登录。",
              "Account {0} created: it can sign in once the security administrator has confirmed its role and scope and issued its one-time password."),
        .init("admin.password_reset_requested", "已重置 {0} 的密码，其会话已全部结束；新的一次性密码由安全管理员签发。",
              "The password of {0} was reset and its sessions ended; the security administrator issues the new one-time password."),
        .init("admin.password_issued", "已为 {0} 签发一次性密码（只显示这一次，请交给本人，首次登录须修改）：",
              "One-time password issued for {0} (shown only this once; hand it to the person, who must change it at first sign-in):"),
        .init("admin.status_awaiting", "待签发密码", "Awaiting password"),
        .init("admin.confirm_grant", "确认角色并签发密码", "Confirm role and issue password"),
        .init("admin.grant_issues_password", "此账号尚无可用密码：保存后将签发一次性密码，只向您显示一次。",
              "This account has no usable password yet: saving issues a one-time password, shown to you only once."),
        .init("admin.cli_only", "仅限服务器命令行", "Command line on the server only"),

        .init("account.totp_rebind", "更换动态验证码设备", "Move two-factor authentication to another device"),
        .init("account.totp_rebind_intro", "更换设备须输入当前密码和当前设备上的动态验证码。",
              "To move to another device, enter your current password and a code from the current device."),
        .init("account.totp_current_code", "当前设备上的动态验证码", "Code from the current device"),
    ]
}
