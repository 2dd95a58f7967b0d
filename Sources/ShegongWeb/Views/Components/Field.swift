import Foundation

/// Labelled form controls that put the server's message beside the field (docs/ui.md): an
/// invalid control carries `aria-invalid` and points to its message.
enum Field {
    /// One labelled `<input>`. `error` (already in the page's language) is shown under it.
    /// `id` defaults to `f-<name>`; a page with the same form several times gives each its own.
    /// `extra` are further attributes of the input (`.attribute("min", "0")`, `.pattern(…)`).
    static func input(_ label: String, name: String, value: String? = nil, type: String = "text", error: String? = nil,
                      required: Bool = false, autocomplete: String? = nil, hint: String? = nil, id: String? = nil,
                      _ extra: Node...) -> Node {
        let id = id ?? "f-" + name
        let control = Node.input(.id(id), .name(name), .type(type),
                                 .unwrap(type == "password" ? nil : value) { .value($0) },
                                 .required(required), .unwrap(autocomplete) { .autocomplete($0) },
                                 described(id, error: error), .group(extra))
        return wrap(label, id: id, control: control, hint: hint, error: error)
    }

    /// A `<select>`; `options` are (value, label).
    static func select(_ label: String, name: String, options: [(value: String, label: String)], selected: String?,
                       error: String? = nil, hint: String? = nil, id: String? = nil, _ extra: Node...) -> Node {
        let id = id ?? "f-" + name
        let control = Node.select(.id(id), .name(name), described(id, error: error), .group(extra),
                                  .forEach(options) { option in .option(.value(option.value), .selected(option.value == selected), .text(option.label)) })
        return wrap(label, id: id, control: control, hint: hint, error: error)
    }

    /// A `<select>` whose options come in labelled groups (`<optgroup>`), for a long list that
    /// falls into kinds (the dashboard's 35 indicators).
    static func groupedSelect(_ label: String, name: String, groups: [(label: String, options: [(value: String, label: String)])],
                              selected: String?, hint: String? = nil, id: String? = nil) -> Node {
        let id = id ?? "f-" + name
        let control = Node.select(.id(id), .name(name), described(id, error: nil),
                                  .forEach(groups) { group in
                                      .optgroup(.attribute("label", group.label),
                                                .forEach(group.options) { option in
                                                    .option(.value(option.value), .selected(option.value == selected), .text(option.label))
                                                })
                                  })
        return wrap(label, id: id, control: control, hint: hint, error: nil)
    }

    /// A `<textarea>`.
    static func textArea(_ label: String, name: String, value: String? = nil, rows: Int = 4, error: String? = nil,
                         required: Bool = false, hint: String? = nil, id: String? = nil, _ extra: Node...) -> Node {
        let id = id ?? "f-" + name
        let control = Node.textarea(.id(id), .name(name), .rows(rows), .required(required), described(id, error: error),
                                    .group(extra), .text(value ?? ""))
        return wrap(label, id: id, control: control, hint: hint, error: error)
    }

    /// A checkbox with its label after it.
    static func checkbox(_ label: String, name: String, value: String = "on", checked: Bool, error: String? = nil, id: String? = nil) -> Node {
        let id = id ?? "f-" + name
        return .div(.class("field", "check", error == nil ? "" : "invalid"),
                    .input(.id(id), .name(name), .type("checkbox"), .value(value), .checked(checked), described(id, error: error)),
                    .label(.for(id), .text(label)),
                    message(id, error))
    }

    /// A group of checkboxes sent as the list `FIELD[]`, each option by its label, flowing in lines
    /// (a base's served regions, a course's topics).
    static func checkboxes(_ legend: String, field: String, _ options: [(value: String, label: String)], checked: [String],
                           error: String?, hint: String? = nil) -> Node {
        .fieldset(.class("checks"), .legend(.text(legend)),
                  .unwrap(hint) { .small(.class("hint"), .text($0)) },
                  .forEach(options.enumerated()) { index, option in
                      Field.checkbox(option.label, name: "\(field)[]", value: option.value, checked: checked.contains(option.value), id: "f-\(field)-\(index)")
                  },
                  .unwrap(error) { .p(.class("field-error"), .text($0)) })
    }

    /// The summary above a form the server sent back with errors ("2 fields need correcting");
    /// nothing when there are none.
    static func summary(_ ctx: PageContext, count: Int) -> Node {
        .if(count > 0, .p(.class("alert", "error"), .role("alert"), .text(ctx.t("form.errors_summary", String(count)))))
    }

    private static func wrap(_ label: String, id: String, control: Node, hint: String?, error: String?) -> Node {
        .div(.class("field", error == nil ? "" : "invalid"),
             .label(.for(id), .text(label)), control,
             .unwrap(hint) { .small(.class("hint"), .text($0)) },
             message(id, error))
    }

    private static func described(_ id: String, error: String?) -> Node {
        .if(error != nil, .group(.invalid(), .ariaDescribedBy(id + "-error")))
    }

    private static func message(_ id: String, _ error: String?) -> Node {
        .unwrap(error) { .small(.class("error"), .id(id + "-error"), .text($0)) }
    }
}

extension Node {
    /// A notice box: information, success or an error the user should read.
    enum NoticeKind: String { case info, ok, error, warning = "warn" }

    static func notice(_ text: String, _ kind: NoticeKind = .info) -> Node {
        .p(.class("alert", kind.rawValue), .role(kind == .error ? "alert" : "status"), .text(text))
    }

    /// A link with text (the common case of `.a(.href(…), …)`).
    static func link(_ address: String, _ text: String, _ extra: Node...) -> Node {
        .a(.href(address), .group(extra), .text(text))
    }
}
