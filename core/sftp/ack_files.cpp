#include "core/sftp/ack_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

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

bool writeAll(int fd, std::string_view bytes) {
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

namespace {

/// The plugin's output, straight into the ACK's temporary file.
class FdWriter final : public plugin::ByteWriter {
public:
    explicit FdWriter(int fd) : fd_(fd) {}
    void write(std::string_view bytes) override {
        // The host turns the throw into an I/O failure of the plugin's call.
        if (!writeAll(fd_, bytes)) throw std::runtime_error(std::string("write: ") + std::strerror(errno));
    }

private:
    int fd_;
};

bool encryptsOutbound(const config::Partner &partner) {
    return partner.openpgp && partner.openpgp->encryptOutbound;
}

}  // namespace

bool writeAckFile(const AckFileServices &s, const config::Partner &partner, const std::filesystem::path &folder,
                  const std::string &name, const std::string &document) {
    const std::string shown = redactFileName(name);
    const std::string what = "the ACK of file " + shown;
    auto failed = [&](const std::string &what, const std::string &target) {
        s.logger.log(LogLevel::Error, "sftp",
                     "partner " + partner.id + ": cannot " + what + " the ACK " + redactFileName(target) + ": " +
                         std::strerror(errno));
        return false;
    };
    Fd dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (dir.get() < 0) return failed("open the outbound folder for", ackFileName(name, ""));
    // Written under a name of its own, then renamed: the partner never sees half an ACK.
    const std::string temp = "." + ackFileName(name, "") + ".tmp";
    ::unlinkat(dir.get(), temp.c_str(), 0);  // a leftover, or something the partner put there
    Fd out(::openat(dir.get(), temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644));
    if (out.get() < 0) return failed("create", temp);
    auto abandon = [&](const std::string &what, const std::string &target) {
        const int error = errno;
        ::unlinkat(dir.get(), temp.c_str(), 0);
        errno = error;
        return failed(what, target);
    };
    auto renderFailed = [&](const Error &error, std::string_view outcome) {
        s.logger.log(LogLevel::Error, "sftp",
                     "the ACK for partner " + partner.id + " " + std::string(outcome) + ": " + error.message);
        s.metrics.increment("lendgate_ack_render_failures_total", {{"partner", partner.id}});
    };

    std::string target;
    if (!encryptsOutbound(partner)) {
        // The ACK of a million-record file is written as the plugin makes it:
        // nothing but a slice of it is in memory at once.
        FdWriter writer(out.get());
        auto rendered = s.renderer.renderCanonicalTo(partner, model::MessageType::Ack, document, what, writer);
        std::string extension = rendered ? rendered.value().fileExtension : std::string(".json");
        if (!rendered) {
            // The records are committed whatever happens here: the canonical
            // form goes out rather than no answer.
            renderFailed(rendered.error(), "went out as canonical JSON");
            if (::ftruncate(out.get(), 0) != 0 || ::lseek(out.get(), 0, SEEK_SET) != 0 ||
                !writeAll(out.get(), document))
                return abandon("write", temp);
        }
        target = ackFileName(name, extension);
    } else {
        // The gateway wrote the document (intake/ack_document.h): it goes to
        // the plugin as it is, not parsed into the model and written out again.
        delivery::OutboundMessage ack;
        ack.messageType = "ack";
        ack.body = document;
        ack.fileExtension = ".json";
        auto rendered = s.renderer.renderCanonical(partner, model::MessageType::Ack, document, what);
        if (rendered)
            ack = std::move(rendered.value());
        else
            renderFailed(rendered.error(), "went out as canonical JSON");
        // A partner whose tools expect OpenPGP gets its ACKs encrypted and
        // signed too. An ACK holds no personal data, so when that fails it
        // goes out in the clear rather than not at all.
        const std::string plainExtension = ack.fileExtension;
        auto sealed = s.renderer.protectFor(partner, ack);
        if (!sealed) renderFailed(sealed.error(), "went out unencrypted");
        // ACK_X.csv.pgp answers X.csv.pgp, X.csv.gpg and X.csv alike.
        target = sealed && sealed.value() ? ackFileName(withoutPgpEnding(partner, name), plainExtension) +
                                                ack.fileExtension.substr(plainExtension.size())
                                          : ackFileName(name, ack.fileExtension);
        if (!writeAll(out.get(), ack.body)) return abandon("write", target);
    }
    // The partner's account owns outbound/ (2770) but not the file: it reads
    // it through the other bits, which the folder keeps from everyone else.
    // fchmod, since the umask may have taken them.
    if (::fchmod(out.get(), 0644) != 0 || ::fsync(out.get()) != 0) return abandon("write", target);
    out = Fd();
    if (::renameat(dir.get(), temp.c_str(), dir.get(), target.c_str()) != 0) return abandon("rename", target);
    if (::fsync(dir.get()) != 0) return failed("sync", target);
    return true;
}

}  // namespace lendgate::sftp
