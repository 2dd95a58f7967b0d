import Foundation

/// How an amount of money (integer fen, docs/conventions.md §6) is written for people: one function
/// for every page, export and print view of the incentives (issue #17 §1).
///
/// - `plain`: `66,100.00` — thousands separated, always two decimals;
/// - `text`: `66,100.00 元` on Chinese pages, `CNY 66,100.00` on English ones;
/// - `capital`: 大写 as on a cheque or a printed payment list, `陆万陆仟壹佰元整`.
public enum MoneyText {
    /// `6610000` → `66,100.00`; `-5` → `-0.05`.
    public static func plain(fen: Int) -> String {
        let sign = fen < 0 ? "-" : ""
        let magnitude = fen.magnitude
        let cents = magnitude % 100
        var digits = Array(String(magnitude / 100))
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + String(digits.suffix(3)) + grouped
            digits.removeLast(3)
        }
        return "\(sign)\(String(digits))\(grouped).\(cents < 10 ? "0" : "")\(cents)"
    }

    /// The amount with its currency in `language`.
    public static func text(fen: Int, language: Language) -> String {
        switch language {
        case .zhHans: return "\(plain(fen: fen)) 元"
        case .en: return "CNY \(plain(fen: fen))"
        }
    }

    static let numerals = Array("零壹贰叁肆伍陆柒捌玖")
    static let places = ["", "拾", "佰", "仟"]
    static let sections = ["", "万", "亿", "万亿"]

    /// The amount in capital numerals (大写), following the People's Bank's rules for writing
    /// amounts on bills (《正确填写票据和结算凭证的基本规定》): a zero inside the number, or a run
    /// of zeros, is one 零 (`1409` 壹仟肆佰零玖, `100700` 壹拾万零柒佰); an amount that ends at the
    /// yuan ends with 整; a zero 角 before a 分 is written 零 (`16409.02` 壹万陆仟肆佰零玖元零贰分);
    /// an amount below one yuan has no 元 (`0.50` 伍角). Ten to nineteen keep their 壹 (壹拾), as
    /// on bills. Negative amounts start with 负.
    public static func capital(fen: Int) -> String {
        if fen < 0 { return "负" + capital(fen: -fen) }
        let yuan = fen / 100, jiao = (fen / 10) % 10, cents = fen % 10
        let whole = yuan > 0 ? integer(yuan) + "元" : ""
        if jiao == 0 && cents == 0 { return (yuan == 0 ? "零元" : whole) + "整" }
        var text = whole
        if jiao > 0 { text += "\(numerals[jiao])角" } else if yuan > 0 { text += "零" }
        if cents > 0 { text += "\(numerals[cents])分" }
        return text
    }

    /// A whole number of yuan (above zero) in capital numerals, by sections of four digits.
    static func integer(_ n: Int) -> String {
        var groups: [Int] = []
        var rest = n
        while rest > 0 {
            groups.append(rest % 10_000)
            rest /= 10_000
        }
        var text = "", zeroPending = false
        for index in stride(from: groups.count - 1, through: 0, by: -1) {
            let group = groups[index]
            if group == 0 {
                if !text.isEmpty { zeroPending = true }
                continue
            }
            if !text.isEmpty && (zeroPending || group < 1000) { text += "零" }
            text += section(group) + sections[min(index, sections.count - 1)]
            zeroPending = false
        }
        return text
    }

    /// 1 … 9999: `6100` 陆仟壹佰, `1009` 壹仟零玖.
    static func section(_ n: Int) -> String {
        var text = "", zero = false, started = false
        for place in stride(from: 3, through: 0, by: -1) {
            var power = 1
            for _ in 0..<place { power *= 10 }
            let digit = (n / power) % 10
            if digit == 0 {
                if started { zero = true }
                continue
            }
            if zero { text += "零" }
            zero = false
            text += "\(numerals[digit])\(places[place])"
            started = true
        }
        return text
    }
}
