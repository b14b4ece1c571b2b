import ScaleCore

/// Redraws a block of lines in place on a terminal without flicker: each frame is one write
/// that moves the cursor back to the top of the block, rewrites every line (clearing its rest
/// with EL, `ESC[2K`) and clears whatever an older, longer block left below (ED, `ESC[J`).
/// Lines printed through `log` stay on the screen above the block, as a scrolling history.
///
/// Lines are cut to the terminal width: a wrapped line would take two rows and the next
/// frame would go back one row too few.
public struct LiveRedraw {
    /// Terminal columns; nil for no limit.
    public let width: Int?
    /// Rows the current block takes.
    public private(set) var drawnLines = 0

    public init(width: Int?) { self.width = width }

    public static let hideCursor = "\u{1B}[?25l"
    public static let showCursor = "\u{1B}[?25h"

    /// The bytes that put `log` lines above the block and redraw it as `block`.
    public mutating func frame(log: [String] = [], block: [String]) -> String {
        var out = moveToTop()
        for line in log + block { out += "\u{1B}[2K" + fit(line) + "\n" }
        out += "\u{1B}[J"
        drawnLines = block.count
        return out
    }

    /// The bytes that erase the block, leaving the cursor where it started.
    public mutating func clear() -> String {
        let out = moveToTop() + "\u{1B}[J"
        drawnLines = 0
        return out
    }

    private func moveToTop() -> String {
        drawnLines > 0 ? "\r\u{1B}[\(drawnLines)A" : "\r"
    }

    /// `line` cut to `width - 1` visible columns (the last column would make some terminals
    /// wrap early). SGR colour sequences pass through without taking columns; a cut line
    /// ends with a reset so colour does not leak.
    public func fit(_ line: String) -> String {
        guard let width, width > 1 else { return line }
        let limit = width - 1
        var out = ""
        var used = 0
        var escape = false
        var sawEscape = false
        for scalar in line.unicodeScalars {
            if escape {
                out.unicodeScalars.append(scalar)
                // A CSI sequence ends with a byte in 0x40...0x7E (after the '[').
                if scalar != "[" && (0x40...0x7E).contains(scalar.value) { escape = false }
                continue
            }
            if scalar == "\u{1B}" {
                escape = true
                sawEscape = true
                out.unicodeScalars.append(scalar)
                continue
            }
            let columns = DisplayWidth.of(scalar)
            if used + columns > limit { return out + (sawEscape ? "\u{1B}[0m" : "") }
            used += columns
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}

