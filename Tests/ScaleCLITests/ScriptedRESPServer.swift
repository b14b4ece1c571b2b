import Foundation
import Glibc

/// A loopback server that answers Redis commands from a script (command name → raw RESP reply),
/// for replies a real redis-server never gives: an XINFO without `length` or `pending`.
/// One connection, commands answered in order; unknown commands get an error reply.
final class ScriptedRESPServer: @unchecked Sendable {
    let port: UInt16
    private let listener: Int32
    private let thread: Thread

    init(_ replies: [String: String]) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && listen(fd, 4) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { close(fd); throw POSIXError(.EADDRINUSE) }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        thread = Thread {
            let connection = accept(fd, nil, nil)
            guard connection >= 0 else { return }
            defer { close(connection) }
            var pending: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = read(connection, &buffer, buffer.count)
                guard n > 0 else { return }
                pending += buffer[0..<n]
                while let (words, used) = Self.command(pending) {
                    pending.removeFirst(used)
                    // The script is keyed by the command and its sub-command, if scripted so.
                    let name = words.prefix(2).joined(separator: " ").uppercased()
                    let reply = replies[name] ?? replies[words.first?.uppercased() ?? ""] ?? "-ERR unscripted \(name)\r\n"
                    _ = reply.utf8CString.withUnsafeBufferPointer { write(connection, $0.baseAddress, $0.count - 1) }
                }
            }
        }
        thread.start()
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    /// One whole RESP array of bulk strings from the front of `bytes`, and the bytes it used.
    static func command(_ bytes: [UInt8]) -> ([String], Int)? {
        var lines: [String] = []
        var start = 0
        var i = 0
        func line() -> String? {
            while i + 1 < bytes.count {
                if bytes[i] == 13, bytes[i + 1] == 10 {
                    let text = String(decoding: bytes[start..<i], as: UTF8.self)
                    i += 2
                    start = i
                    return text
                }
                i += 1
            }
            return nil
        }
        guard let head = line(), head.hasPrefix("*"), let count = Int(head.dropFirst()) else { return nil }
        for _ in 0..<count {
            guard line() != nil, let word = line() else { return nil }
            lines.append(word)
        }
        return (lines, i)
    }
}
