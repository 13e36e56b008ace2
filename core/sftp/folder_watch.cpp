#include "core/sftp/folder_watch.h"

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/common/redact.h"
#include "core/common/unique_fd.h"
#include "core/intake/ack_document.h"
#include "core/pgp/pgp.h"
#include "core/sftp/ack_files.h"

namespace lendgate::sftp::detail {
namespace {

constexpr auto kRetryAfter = std::chrono::seconds(15);
constexpr std::uint32_t kWatchMask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM |
                                     IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK;

using Fd = UniqueFd;

bool sameStamp(const struct timespec &a, const struct timespec &b) {
    return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

std::vector<std::string> listNames(int dirFd) {
    std::vector<std::string> names;
    const int copy = ::openat(dirFd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (copy < 0) return names;
    DIR *dir = ::fdopendir(copy);
    if (dir == nullptr) {
        ::close(copy);
        return names;
    }
    while (const struct dirent *entry = ::readdir(dir)) {
        const std::string name = entry->d_name;
        if (name != "." && name != "..") names.push_back(name);
    }
    ::closedir(dir);
    return names;
}

// The message of an intake error document ({"error":{"code","message"}}).
std::string errorMessageOf(const std::string &document) {
    auto parsed = nlohmann::json::parse(document, nullptr, false);
    if (parsed.is_object() && parsed.contains("error") && parsed["error"].contains("message") &&
        parsed["error"]["message"].is_string())
        return parsed["error"]["message"].get<std::string>();
    return "the file was not accepted";
}

// A pgp_* failure of the decrypting source that is the sender's doing:
// pgp_key and pgp_setup are the gateway's (the file waits and is tried again).
std::optional<Error> pgpRefusal(const std::optional<Error> &failure) {
    if (!failure || !failure->code.starts_with("pgp_")) return std::nullopt;
    if (failure->code == pgp::errc::kKey || failure->code == pgp::errc::kSetup) return std::nullopt;
    return failure;
}

}  // namespace

bool FolderWatch::attach(int inotifyFd, Steady::time_point now) {
    // Said once, not every retry: the folder may wait days for provisioning.
    const LogLevel failure = attachFailed_ ? LogLevel::Debug : LogLevel::Error;
    attachFailed_ = true;
    inboundFd_ = ::open(f_.layout.inbound.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (inboundFd_ < 0) {
        s_.logger.log(failure, "sftp",
                      "partner " + f_.layout.partnerId + ": cannot open its drop folder " + f_.layout.inbound.string() +
                          " (" + std::strerror(errno) + "); run `lendgate sftp provision " + f_.layout.partnerId + "`");
        detach();
        return false;
    }
    if (::mkdir(f_.layout.processing.c_str(), 0700) != 0 && errno != EEXIST) {
        s_.logger.log(failure, "sftp", "cannot create " + f_.layout.processing.string() + ": " + std::strerror(errno));
        detach();
        return false;
    }
    processingFd_ = ::open(f_.layout.processing.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (processingFd_ < 0) {
        s_.logger.log(failure, "sftp", "cannot open " + f_.layout.processing.string() + ": " + std::strerror(errno));
        detach();
        return false;
    }
    wd_ = ::inotify_add_watch(inotifyFd, f_.layout.inbound.c_str(), kWatchMask);
    if (wd_ < 0) {
        s_.logger.log(failure, "sftp", "cannot watch " + f_.layout.inbound.string() + ": " + std::strerror(errno));
        detach();
        return false;
    }
    // What a crash left half done goes first: its names are not in inbound/ any more.
    for (const auto &name : listNames(processingFd_)) retries_[name] = now;
    attachFailed_ = false;
    rescan(now);
    s_.logger.log(LogLevel::Info, "sftp", "watching the drop folder of partner " + f_.layout.partnerId);
    return true;
}

void FolderWatch::detach() {
    for (int *fd : {&inboundFd_, &processingFd_})
        if (*fd >= 0) {
            ::close(*fd);
            *fd = -1;
        }
    wd_ = -1;
    pending_.clear();
}

void FolderWatch::rescan(Steady::time_point now) {
    const auto wallNow = s_.clock.nowUnixMs();
    for (const auto &name : listNames(inboundFd_)) {
        if (isPartial(name) || stuckDirs_.contains(name) || pending_.contains(name)) continue;
        Pending pending;
        struct stat st {};
        if (::fstatat(inboundFd_, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode)) {
            // Unchanged since before we looked: the quiet period may be over already.
            pending.seen = true;
            pending.size = st.st_size;
            pending.mtime = st.st_mtim;
            const std::int64_t ageMs =
                wallNow - (static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000);
            const std::int64_t waitMs = std::max<std::int64_t>(0, f_.quietPeriodMs - std::max<std::int64_t>(0, ageMs));
            pending.due = now + std::chrono::milliseconds(waitMs);
        } else {
            pending.due = now;
        }
        pending_[name] = pending;
    }
}

void FolderWatch::onEvent(std::uint32_t mask, const std::string &name, Steady::time_point now) {
    if (name.empty()) return;
    if (isPartial(name)) {
        // OpenSSH's plain rename is link(NAME.partial, NAME) then unlink: NAME
        // is complete once the .partial name is gone.
        if (mask & (IN_DELETE | IN_MOVED_FROM)) {
            auto it = pending_.find(name.substr(0, name.size() - kPartialSuffix.size()));
            if (it != pending_.end()) {
                it->second.complete = true;
                it->second.due = now;
            }
        }
        return;
    }
    if (mask & (IN_DELETE | IN_MOVED_FROM)) {
        pending_.erase(name);
        stuckDirs_.erase(name);
        return;
    }
    if (stuckDirs_.contains(name)) return;
    auto &pending = pending_[name];
    if (mask & IN_MOVED_TO) {
        pending.complete = true;
        pending.due = now;
    } else if (!pending.complete) {
        // Created or closed after writing: look now, then again a quiet period later.
        pending.seen = false;
        pending.due = now;
    }
}

Steady::time_point FolderWatch::nextDue() const {
    auto next = Steady::time_point::max();
    for (const auto &[name, pending] : pending_) next = std::min(next, pending.due);
    for (const auto &[name, at] : retries_) next = std::min(next, at);
    return next;
}

void FolderWatch::work(Steady::time_point now) {
    if (!attached()) return;
    try {
        workDue(now);
    } catch (const std::exception &e) {
        // The file in hand stays where it is (inbound or processing) and is
        // tried again; the watcher thread must not die of one file.
        s_.logger.log(LogLevel::Error, "sftp",
                      "partner " + f_.layout.partnerId + ": handling a dropped file failed: " + e.what());
        for (auto &[name, at] : retries_) at = std::max(at, now + kRetryAfter);
        for (auto &[name, pending] : pending_) pending.due = std::max(pending.due, now + kRetryAfter);
    }
}

void FolderWatch::workDue(Steady::time_point now) {
    for (auto it = retries_.begin(); it != retries_.end();) {
        if (it->second > now) {
            ++it;
            continue;
        }
        const std::string name = it->first;
        if (process(name))
            it = retries_.erase(it);
        else
            (it++)->second = now + kRetryAfter;
    }
    std::vector<std::string> due;
    for (const auto &[name, pending] : pending_)
        if (pending.due <= now) due.push_back(name);
    for (const auto &name : due) {
        auto it = pending_.find(name);
        if (it != pending_.end()) examine(name, it->second, now);
    }
}

void FolderWatch::examine(const std::string &name, Pending &pending, Steady::time_point now) {
    if (const auto problem = nameProblem(name); !problem.empty()) {
        pending_.erase(name);
        return refuse(inboundFd_, name, "bad_file_name", "the file name " + problem);
    }
    struct stat st {};
    if (::fstatat(inboundFd_, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        pending_.erase(name);  // gone (the partner removed or renamed it)
        return;
    }
    if (S_ISLNK(st.st_mode)) {
        pending_.erase(name);
        return refuse(inboundFd_, name, "symlink",
                      "file " + redactFileName(name) + " is a symbolic link; links are not followed");
    }
    if (!S_ISREG(st.st_mode)) {
        pending_.erase(name);
        return refuse(inboundFd_, name, "not_a_file", "file " + redactFileName(name) + " is not a regular file");
    }
    if (static_cast<std::uint64_t>(st.st_size) > f_.maxFileBytes) {
        pending_.erase(name);
        return refuse(
            inboundFd_, name, "too_large",
            "file " + redactFileName(name) + " is over the cap of " + std::to_string(f_.maxFileBytes) + " bytes");
    }
    const auto quiet = std::chrono::milliseconds(f_.quietPeriodMs);
    if (!pending.complete) {
        const bool changed = !pending.seen || pending.size != st.st_size || !sameStamp(pending.mtime, st.st_mtim);
        if (changed) {
            pending.seen = true;
            pending.size = st.st_size;
            pending.mtime = st.st_mtim;
            pending.due = now + quiet;
            if (st.st_nlink > 1) pending.linkRecheck = true;
            return;
        }
    }
    if (st.st_nlink > 1) {
        if (!pending.linkRecheck) {
            pending.linkRecheck = true;
            pending.due = now + quiet;
            return;
        }
        pending_.erase(name);
        return refuse(inboundFd_, name, "hard_link",
                      "file " + redactFileName(name) + " has other hard links; it is not taken");
    }
    if (take(name, now))
        pending_.erase(name);
    else
        pending.due = now + kRetryAfter;
}

bool FolderWatch::take(const std::string &name, Steady::time_point now) {
    // Never over a file still waiting in processing (RENAME_NOREPLACE).
    if (::renameat2(inboundFd_, name.c_str(), processingFd_, name.c_str(), RENAME_NOREPLACE) != 0) {
        if (errno == ENOENT) return true;
        s_.logger.log(LogLevel::Error, "sftp",
                      "partner " + f_.layout.partnerId + ": cannot move file " + redactFileName(name) +
                          " to processing: " + std::strerror(errno) +
                          (errno == EEXIST ? " (an earlier file of that name is waiting)" : ""));
        return false;
    }
    ::fsync(processingFd_);
    if (!process(name)) retries_[name] = now + kRetryAfter;
    return true;
}

bool FolderWatch::process(const std::string &name) {
    Fd file(::openat(processingFd_, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
    if (file.get() < 0) {
        if (errno == ENOENT) return true;
        if (errno == ELOOP) {
            refuse(processingFd_, name, "symlink",
                   "file " + redactFileName(name) + " is a symbolic link; links are not followed");
            return true;
        }
        s_.logger.log(LogLevel::Error, "sftp",
                      "cannot open file " + redactFileName(name) + " in processing: " + std::strerror(errno));
        return false;
    }
    // Checked again on what we hold: the name may have been swapped before the move.
    struct stat st {};
    if (::fstat(file.get(), &st) != 0) return false;
    if (const auto problem = nameProblem(name); !problem.empty()) {
        refuse(processingFd_, name, "bad_file_name", "the file name " + problem);
        return true;
    }
    if (!S_ISREG(st.st_mode)) {
        refuse(processingFd_, name, "not_a_file", "file " + redactFileName(name) + " is not a regular file");
        return true;
    }
    if (st.st_nlink > 1) {
        refuse(processingFd_, name, "hard_link",
               "file " + redactFileName(name) + " has other hard links; it is not taken");
        return true;
    }
    if (static_cast<std::uint64_t>(st.st_size) > f_.maxFileBytes) {
        refuse(processingFd_, name, "too_large",
               "file " + redactFileName(name) + " is over the cap of " + std::to_string(f_.maxFileBytes) + " bytes");
        return true;
    }
    const auto choice = chooseFormat(*f_.partner, name);
    if (!choice.refusal.empty()) {
        refuse(processingFd_, name, "unknown_file", choice.refusal);
        return true;
    }
    (void)::fcntl(file.get(), F_SETFL, 0);  // blocking reads from here on

    journal::FileSource source(file.get());
    // The journal keeps only plaintext whose signature checked out (the blob
    // store drops what it read unless its source ends cleanly), and the
    // plaintext's hash is the file's identity, so the same content encrypted
    // again (different ciphertext every time) is recognised.
    std::optional<pgp::DecryptingSource> decrypting;
    if (const auto &openpgp = f_.partner->openpgp; openpgp && openpgp->decryptInbound) {
        if (s_.keyring == nullptr) {
            s_.logger.log(LogLevel::Error, "sftp",
                          "partner " + f_.layout.partnerId + ": file " + redactFileName(name) +
                              " waits in processing: the partner sends OpenPGP files and the gateway has no keyring");
            s_.metrics.increment("lendgate_sftp_retries_total", {{"partner", f_.layout.partnerId}});
            return false;
        }
        pgp::DecryptOptions options;
        options.expectedSigner = openpgp->partnerFingerprint;
        options.requireSignature = openpgp->requireSignature;
        options.maxPlaintextBytes = f_.maxFileBytes;
        decrypting.emplace(*s_.keyring, source, std::move(options));
    }
    intake::IntakeRequest request;
    request.sender = f_.layout.partnerId;
    request.declaredType = choice.declaredType;
    request.channel = "sftp";
    request.reference = name;
    request.isFile = true;
    request.source = decrypting ? static_cast<journal::ByteSource *>(&*decrypting) : &source;
    request.maxBytes = f_.maxFileBytes;
    auto response = s_.intake.ingest(request);

    std::string document;
    using intake::IntakeStatus;
    if (const auto refusal = decrypting ? pgpRefusal(decrypting->failure()) : std::nullopt) {
        // The partner's fault, and sending it again unchanged cannot help.
        s_.metrics.increment("lendgate_sftp_refused_total",
                             {{"partner", f_.layout.partnerId}, {"reason", refusal->code}});
        s_.logger.log(LogLevel::Warning, "sftp",
                      "partner " + f_.layout.partnerId + ": refused " + redactFileName(name) + ": " + refusal->code);
        response.status = IntakeStatus::Unusable;
        response.replayed = false;
        response.document =
            nack(name, refusal->code,
                 "file " + redactFileName(name) + " was refused: " + refusal->message + "; the file was removed");
    }
    switch (response.status) {
        case IntakeStatus::Accepted:
        case IntakeStatus::Partial:
        case IntakeStatus::Rejected:
        case IntakeStatus::Unusable: document = std::move(response.document); break;
        case IntakeStatus::TooLarge:
            document = nack(
                name, "too_large",
                "file " + redactFileName(name) + " is over the cap of " + std::to_string(f_.maxFileBytes) + " bytes");
            break;
        case IntakeStatus::Forbidden:
        case IntakeStatus::Conflict:
            document =
                nack(name, "not_accepted", "file " + redactFileName(name) + ": " + errorMessageOf(response.document));
            break;
        case IntakeStatus::Unavailable:
        case IntakeStatus::Internal:
            // Nothing was acknowledged: the file waits in processing.
            s_.logger.log(LogLevel::Error, "sftp",
                          "partner " + f_.layout.partnerId + ": file " + redactFileName(name) +
                              " could not be journaled now, trying again later: " + errorMessageOf(response.document));
            s_.metrics.increment("lendgate_sftp_retries_total", {{"partner", f_.layout.partnerId}});
            return false;
    }
    if (!writeAck(name, document)) return false;
    // The commit is durable and answered: only now does the file go.
    if (::unlinkat(processingFd_, name.c_str(), 0) != 0 && errno != ENOENT) {
        s_.logger.log(LogLevel::Error, "sftp",
                      "cannot remove file " + redactFileName(name) + " from processing: " + std::strerror(errno));
        return false;
    }
    ::fsync(processingFd_);
    const std::string status = intake::ackStatusOf(document);
    s_.metrics.increment("lendgate_sftp_files_total",
                         {{"partner", f_.layout.partnerId}, {"status", status.empty() ? "unknown" : status}});
    s_.logger.log(LogLevel::Info, "sftp",
                  "partner " + f_.layout.partnerId + ": file " + redactFileName(name) + " answered " + status +
                      (response.replayed ? " (content already journaled: the earlier answer)" : ""));
    ++handled_;
    return true;
}

std::string FolderWatch::nack(const std::string &reference, std::string_view code, const std::string &text) {
    return refusalDocument(f_.layout.partnerId, reference, code, text, s_.ulids, s_.clock);
}

void FolderWatch::refuse(int dirFd, const std::string &name, std::string_view code, const std::string &text) {
    // A refused name is shown only in its safe form; the text names it
    // only when nameProblem() found nothing wrong with it.
    const std::string shown = nameProblem(name).empty() ? name : safeName(name);
    s_.logger.log(LogLevel::Warning, "sftp",
                  "partner " + f_.layout.partnerId + ": refused " + redactFileName(shown) + ": " + std::string(code));
    s_.metrics.increment("lendgate_sftp_refused_total",
                         {{"partner", f_.layout.partnerId}, {"reason", std::string(code)}});
    (void)writeAck(name, nack(shown, code, text + "; the file was removed, send it again"));
    if (::unlinkat(dirFd, name.c_str(), 0) != 0) {
        if (errno == EISDIR && ::unlinkat(dirFd, name.c_str(), AT_REMOVEDIR) != 0) stuckDirs_.insert(name);
    }
    ++handled_;
}

bool FolderWatch::writeAck(const std::string &name, const std::string &document) {
    return writeAckFile(AckFileServices{s_.renderer, s_.logger, s_.metrics}, *f_.partner, f_.layout.outbound, name,
                        document);
}

}  // namespace lendgate::sftp::detail
