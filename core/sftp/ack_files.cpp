#include "core/sftp/ack_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/common/redact.h"
#include "core/common/unique_fd.h"
#include "core/intake/ack_document.h"
#include "core/model/calendar.h"
#include "core/model/message.h"
#include "core/sftp/drop_watcher.h"
#include "core/sftp/layout.h"

namespace lendgate::sftp {
namespace {

using Fd = UniqueFd;

bool writeAll(int fd, const std::string &bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

std::string refusalDocument(const std::string &partnerId, const std::string &reference, std::string_view code,
                            const std::string &text, journal::UlidGenerator &ulids, const Clock &clock) {
    const auto ms = clock.nowUnixMs();
    intake::AckSubjectInfo subject{
        true, reference, "", partnerId,
        model::Timestamp::fromUnix(ms / 1000, static_cast<std::uint32_t>(ms % 1000) * 1000000u).toString()};
    return intake::inputRejectedAck(subject, ulids.next(), code, text);
}

bool writeAckFile(const AckFileServices &s, const config::Partner &partner, const std::filesystem::path &folder,
                  const std::string &name, const std::string &document) {
    const std::string shown = redactFileName(name);
    delivery::OutboundMessage ack;
    ack.messageType = "ack";
    ack.body = document;
    ack.fileExtension = ".json";
    // The gateway wrote the document (intake/ack_document.h): it goes to the
    // plugin as it is, not parsed into the model and written out again.
    auto rendered = s.renderer.renderCanonical(partner, model::MessageType::Ack, document, "the ACK of file " + shown);
    if (rendered) {
        ack = std::move(rendered.value());
    } else {
        // The records are committed whatever happens here: the canonical
        // form goes out rather than no answer.
        s.logger.log(LogLevel::Error, "sftp",
                     "the ACK for partner " + partner.id + " went out as canonical JSON: " + rendered.error().message);
        s.metrics.increment("lendgate_ack_render_failures_total", {{"partner", partner.id}});
    }
    // A partner whose tools expect OpenPGP gets its ACKs encrypted and
    // signed too. An ACK holds no personal data, so when that fails it goes
    // out in the clear rather than not at all.
    const std::string plainExtension = ack.fileExtension;
    auto sealed = s.renderer.protectFor(partner, ack);
    if (!sealed) {
        s.logger.log(LogLevel::Error, "sftp",
                     "the ACK for partner " + partner.id + " went out unencrypted: " + sealed.error().message);
        s.metrics.increment("lendgate_ack_render_failures_total", {{"partner", partner.id}});
    }
    const std::string &body = ack.body;
    // ACK_X.csv.pgp answers X.csv.pgp, X.csv.gpg and X.csv alike.
    const std::string target = sealed && sealed.value() ? ackFileName(withoutPgpEnding(partner, name), plainExtension) +
                                                              ack.fileExtension.substr(plainExtension.size())
                                                        : ackFileName(name, ack.fileExtension);
    const std::string temp = "." + target + ".tmp";
    auto failed = [&](const char *what) {
        s.logger.log(LogLevel::Error, "sftp",
                     "partner " + partner.id + ": cannot " + what + " the ACK " + redactFileName(target) + ": " +
                         std::strerror(errno));
        return false;
    };
    Fd dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (dir.get() < 0) return failed("open the outbound folder for");
    ::unlinkat(dir.get(), temp.c_str(), 0);  // a leftover, or something the partner put there
    {
        Fd out(::openat(dir.get(), temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644));
        if (out.get() < 0) return failed("create");
        // The partner's account owns outbound/ (2770) but not the file: it
        // reads it through the other bits, which the folder keeps from
        // everyone else. fchmod, since the umask may have taken them.
        if (::fchmod(out.get(), 0644) != 0 || !writeAll(out.get(), body) || ::fsync(out.get()) != 0) {
            const int error = errno;
            ::unlinkat(dir.get(), temp.c_str(), 0);
            errno = error;
            return failed("write");
        }
    }
    if (::renameat(dir.get(), temp.c_str(), dir.get(), target.c_str()) != 0) {
        const int error = errno;
        ::unlinkat(dir.get(), temp.c_str(), 0);
        errno = error;
        return failed("rename");
    }
    if (::fsync(dir.get()) != 0) return failed("sync");
    return true;
}

}  // namespace lendgate::sftp
