import Foundation
import MultipartKit
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// A progress report as sent: a JSON body (no files), or `multipart/form-data` with the fields
/// `date`, `text`, `completes`, `department` and any number of `evidence` files — the page's form
/// and the API take the same body. Read from the stream within a limit, so a too-large upload is
/// refused with 413; files go to disk while they arrive, never into the request's memory.
struct ReportSubmission: Sendable {
    var input: PlanStore.ReportInput
    var files: [EvidenceUpload]
    /// The text fields as sent, to fill the page's form again after an error.
    var fields: [String: String]

    /// The most one report request may carry: ten files of up to 20 MiB do not all fit, on purpose
    /// (what a request puts on disk stays bounded; its files never sit in memory); a lower
    /// `SHEGONG_MAX_UPLOAD_MB` wins.
    static let requestLimit = 64 << 20
    static let jsonLimit = 1 << 20

    static func limit(_ req: Request) -> Int { min(req.application.shegong.settings.maxUploadBytes, requestLimit) }

    static func tooLarge(_ limit: Int) -> APIError {
        APIError(status: .payloadTooLarge, code: "request.too_large",
                 message: "上传内容超过 \(limit >> 20) MiB 的上限（每个文件不超过 \(EvidenceRules.maxFileBytes >> 20) MiB，一次最多 \(EvidenceRules.maxFiles) 个）")
    }

    /// The request's body when it is `multipart/form-data` with a boundary, read from the stream
    /// within the upload limit (`limit(req)`); nil for any other body. The one entry point of the
    /// uploads with evidence: progress reports here, continuing-education recognitions
    /// (`ContinuingEducationController.multipart`).
    static func multipart(_ req: Request) async throws -> ReportSubmission? {
        guard let type = req.headers.contentType, type.type == "multipart", type.subType == "form-data",
              let boundary = type.parameters["boundary"], GuardedMultipartParser.isUsable(boundary: boundary) else { return nil }
        return try await multipart(req.body, boundary: boundary, limit: limit(req), tempFiles: req.application.shegong.tempFiles)
    }

    static func receive(_ req: Request) async throws -> ReportSubmission {
        if let submission = try await multipart(req) { return submission }
        guard let type = req.headers.contentType, type == .json else {
            throw APIError(status: .unsupportedMediaType, code: "request.unsupported_media_type",
                           message: "请以 application/json 或 multipart/form-data 提交进展报告")
        }
        var body = ByteBuffer()
        for try await var chunk in req.body {
            guard body.readableBytes + chunk.readableBytes <= jsonLimit else { throw tooLarge(jsonLimit) }
            body.writeBuffer(&chunk)
        }
        let input = try JSONDecoder().decode(PlanStore.ReportInput.self, from: Data(buffer: body))
        return ReportSubmission(input: input, files: [], fields: [:])
    }

    /// One part of the body while it is read: a text field in memory (at most `fieldLimit`), a file
    /// streamed to a 0600 file of the server's temporary folder.
    private struct Part {
        var name = ""
        var fileName: String?
        var text = Data()
        var file: URL?
        var handle: FileHandle?
    }

    /// A text field (date, text, department) is short; more is refused rather than held.
    static let fieldLimit = 1 << 20

    /// Reads the body from the stream: the text fields in memory, each file part written to a
    /// temporary file as it arrives (so a request never holds its files in memory), the request
    /// limit counted while streaming. Each file is then mapped from its file, which is deleted at
    /// once (the mapping keeps the bytes readable; nothing is left in the folder, whatever happens
    /// to the request afterwards).
    static func multipart<Body: AsyncSequence>(_ body: Body, boundary: String, limit: Int,
                                               tempFiles: TempFiles) async throws -> ReportSubmission where Body.Element == ByteBuffer {
        let parser = GuardedMultipartParser(boundary: boundary)  // MultipartKit's crashes removed
        var current = Part(), parts: [Part] = [], failure: (any Error)?
        parser.onHeader = { name, value in
            guard name.lowercased() == "content-disposition" else { return }
            (current.name, current.fileName) = formPart(value)
        }
        parser.onBody = { buffer in
            guard failure == nil else { return }
            do {
                if current.fileName == nil {
                    guard current.text.count + buffer.readableBytes <= fieldLimit else { throw tooLarge(limit) }
                    buffer.withUnsafeReadableBytes { current.text.append(contentsOf: $0) }
                    return
                }
                if current.handle == nil {
                    let url = try tempFiles.create("evidence")
                    current.file = url
                    current.handle = try FileHandle(forWritingTo: url)
                }
                try current.handle?.write(contentsOf: Data(buffer.readableBytesView))
            } catch {
                failure = error
            }
        }
        parser.onPartComplete = {
            try? current.handle?.close()
            current.handle = nil
            parts.append(current)
            current = Part()
        }
        func removeFiles() {
            for part in parts + [current] {
                try? part.handle?.close()
                if let file = part.file { try? FileManager.default.removeItem(at: file) }
            }
        }
        var fields: [String: String] = [:], files: [EvidenceUpload] = []
        do {
            var received = 0
            for try await chunk in body {
                received += chunk.readableBytes
                if received > limit { throw tooLarge(limit) }
                try parser.execute(chunk)
                if let failure { throw failure }
            }
            for part in parts {
                if part.name == "evidence", let fileName = part.fileName {
                    // A file input left empty still sends a part, with no name and no bytes.
                    guard let file = part.file else {
                        if !fileName.isEmpty { files.append(EvidenceUpload(fileName: fileName, content: Data())) }
                        continue
                    }
                    files.append(EvidenceUpload(fileName: fileName, content: try Data(contentsOf: file, options: .alwaysMapped)))
                } else if part.fileName == nil {
                    fields[part.name] = String(decoding: part.text, as: UTF8.self)
                }
            }
        } catch let error as APIError {
            removeFiles()
            throw error
        } catch {
            // A body that is not multipart as its header says (the parser's error): the sender's
            // mistake, answered as unprocessable, never as a server error.
            removeFiles()
            throw APIError(status: .unprocessableEntity, code: "request.multipart",
                           message: "上传内容不是有效的 multipart/form-data，未写入任何内容")
        }
        removeFiles()
        let department = fields["department"].flatMap { $0.isEmpty ? nil : $0 }
        let input = PlanStore.ReportInput(date: fields["date"] ?? "", text: fields["text"] ?? "",
                                          completes: ["on", "true", "1"].contains(fields["completes"] ?? ""), department: department)
        return ReportSubmission(input: input, files: files, fields: fields)
    }

    /// A multipart part's field name and file name (`filename*` preferred) from its Content-Disposition.
    static func formPart(_ disposition: String) -> (name: String, fileName: String?) {
        ContentDisposition.formPart(disposition)
    }
}

extension Request {
    /// An evidence file for whoever may read its plan (`PlanService.evidence`, audited), as a download.
    func evidenceDownload(id: String) async throws -> Response {
        let evidence = try await plans.evidence(id: id)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: evidence.file.contentType)
        let ext = evidence.file.fileName.split(separator: ".").last.map { "." + $0.lowercased() } ?? ""
        headers.replaceOrAdd(name: .contentDisposition, value: Attachment.disposition(fileName: evidence.file.fileName, fallback: "evidence" + ext))
        return Response(status: .ok, headers: headers, body: .init(data: evidence.content))
    }
}
