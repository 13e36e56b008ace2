#include "core/delivery/sftp_push_transport.h"

#include <algorithm>

#include "core/common/redact.h"
#include "core/sftp/sftp_client.h"

namespace lendgate::delivery {
namespace {

constexpr std::size_t kMaxErrorText = 400;
constexpr std::string_view kPartial = ".partial";

TransportResult failed(const Error &error) {
    TransportResult result{false, 0, redactForLog(error.message, kMaxErrorText)};
    result.permanent = !sftp::retryableSftpError(error.code);
    return result;
}

void replaceAll(std::string &text, std::string_view what, const std::string &with) {
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size()))
        text.replace(at, what.size(), with);
}

bool safeName(const std::string &name) {
    if (name.empty() || name.size() > 200 || name.front() == '.') return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
               c == '.';
    });
}

}  // namespace

Result<std::string> sftpFileName(const std::string &pattern, const OutboundMessage &message) {
    std::string name = pattern;
    replaceAll(name, "{message_id}", message.messageId);
    replaceAll(name, "{message_type}", message.messageType);
    replaceAll(name, "{case_id}", message.caseId.empty() ? std::string("none") : message.caseId);
    replaceAll(name, "{ext}", message.fileExtension);
    if (!safeName(name))
        return Error{"config", "file_name " + pattern + " gives no safe file name for message " + message.messageId};
    return name;
}

TransportResult SftpPushTransport::send(const OutboundMessage &message, const config::Endpoint &endpoint) {
    const std::string where = "sftp_push " + endpoint.id;
    if (!endpoint.remote) return failed(Error{"config", where + ": no server configured"});
    // A batch file's name holds no placeholders: as a pattern it is itself, checked like any name.
    auto name = sftpFileName(message.fileName.empty() ? endpoint.fileName : message.fileName, message);
    if (!name) return failed(Error{"config", where + ": " + name.error().message});

    auto connected = sftp::SftpClient::connect(*endpoint.remote);
    if (!connected) return failed(Error{connected.error().code, where + ": " + connected.error().message});
    sftp::SftpClient &client = *connected.value();
    const std::string target = sftp::remotePath(endpoint.remote->folder, name.value());
    const std::string partial = target + std::string(kPartial);
    auto prefixed = [&](const Error &e) { return failed(Error{e.code, where + ": " + e.message}); };

    // An earlier attempt may have finished before its outcome was recorded.
    auto there = client.stat(target);
    if (!there) return prefixed(there.error());
    if (there.value()) {
        if (there.value()->size == message.body.size()) {
            auto bytes = client.download(target, message.body.size());
            if (bytes && bytes.value() == message.body) return TransportResult{true, 0, {}};
        }
        return prefixed(Error{
            "exists", client.where() + ": " + target + " exists with other content; not overwritten (a conflict)"});
    }
    // A .partial of ours left by an attempt that broke off: ours to replace.
    if (auto stale = client.stat(partial); stale && stale.value()) (void)client.remove(partial);

    if (auto uploaded = client.upload(partial, message.body); !uploaded) {
        (void)client.remove(partial);
        return prefixed(uploaded.error());
    }
    if (auto renamed = client.rename(partial, target); !renamed) {
        (void)client.remove(partial);
        return prefixed(renamed.error());
    }
    return TransportResult{true, 0, {}};
}

}  // namespace lendgate::delivery
