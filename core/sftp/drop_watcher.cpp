#include "core/sftp/drop_watcher.h"

#include <fnmatch.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/common/redact.h"
#include "core/sftp/folder_watch.h"

namespace lendgate::sftp {

using detail::FolderWatch;
using detail::Steady;

struct DropWatcher::State {
    int inotifyFd = -1;
    std::vector<std::unique_ptr<FolderWatch>> watches;
    std::vector<Steady::time_point> nextAttach;
};

std::vector<DropFolder> dropFoldersOf(const config::GatewayConfig &config) {
    std::vector<DropFolder> folders;
    if (!config.sftp) return folders;
    for (const auto &partner : config.partners) {
        const auto *channel = config::GatewayConfig::sftpDrop(partner);
        if (channel == nullptr) continue;
        DropFolder folder;
        folder.partner = &partner;
        folder.layout = layoutOf(config, partner);
        folder.quietPeriodMs = channel->quietPeriodMs.value_or(config.sftp->quietPeriodMs);
        folder.maxFileBytes = config.sftp->maxFileBytes;
        folders.push_back(std::move(folder));
    }
    return folders;
}

std::string withoutPgpEnding(const config::Partner &partner, const std::string &fileName) {
    if (!partner.openpgp || !partner.openpgp->decryptInbound) return fileName;
    for (std::string_view ending : {".pgp", ".gpg", ".asc", ".PGP", ".GPG", ".ASC"})
        if (fileName.size() > ending.size() && fileName.ends_with(ending))
            return fileName.substr(0, fileName.size() - ending.size());
    return fileName;
}

FormatChoice chooseFormat(const config::Partner &partner, const std::string &fileName) {
    const std::string plainName = withoutPgpEnding(partner, fileName);
    auto nameMatches = [&](const std::string &pattern) {
        return ::fnmatch(pattern.c_str(), fileName.c_str(), FNM_PERIOD) == 0 ||
               (plainName != fileName && ::fnmatch(pattern.c_str(), plainName.c_str(), FNM_PERIOD) == 0);
    };
    FormatChoice choice;
    std::vector<const config::FormatBinding *> matches;
    std::string patterns;
    bool shared = true;
    for (const auto &binding : partner.inbound) {
        shared &= binding.plugin == partner.inbound.front().plugin &&
                  binding.pluginConfig == partner.inbound.front().pluginConfig;
        if (binding.filePattern.empty()) continue;
        if (patterns.find(binding.filePattern) == std::string::npos)
            patterns += (patterns.empty() ? "" : ", ") + binding.filePattern;
        if (nameMatches(binding.filePattern)) matches.push_back(&binding);
    }
    if (partner.inbound.empty()) {
        choice.refusal = "partner " + partner.id + " sends no files";
        return choice;
    }
    // One plugin reads every type the partner sends: it tells them apart.
    if (patterns.empty() || (shared && !matches.empty())) return choice;
    if (matches.empty()) {
        choice.refusal = "file " + redactFileName(fileName) + " matches none of the expected names (" + patterns + ")";
        return choice;
    }
    for (const auto *match : matches) {
        if (match->plugin != matches.front()->plugin || match->pluginConfig != matches.front()->pluginConfig) {
            choice.refusal =
                "file " + redactFileName(fileName) + " matches the names of several formats; it is ambiguous";
            return choice;
        }
    }
    choice.declaredType = matches.front()->type;
    return choice;
}

DropWatcher::DropWatcher(DropServices services, std::vector<DropFolder> folders)
    : s_(services), folders_(std::move(folders)), state_(std::make_unique<State>()) {
    s_.metrics.describe("lendgate_sftp_files_total", metrics::Kind::Counter,
                        "Dropped files answered, by partner and ACK status.");
    s_.metrics.describe("lendgate_sftp_refused_total", metrics::Kind::Counter,
                        "Dropped files refused before intake, by partner and reason.");
    s_.metrics.describe("lendgate_sftp_retries_total", metrics::Kind::Counter,
                        "Dropped files kept for a retry because the journal could not take them.");
}

DropWatcher::~DropWatcher() {
    stop();
    if (state_->inotifyFd >= 0) ::close(state_->inotifyFd);
    if (stopFd_ >= 0) ::close(stopFd_);
}

Result<bool> DropWatcher::start() {
    if (thread_.joinable()) return true;
    state_->inotifyFd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (state_->inotifyFd < 0) return Error{"sftp", std::string("inotify: ") + std::strerror(errno)};
    stopFd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (stopFd_ < 0) return Error{"sftp", std::string("eventfd: ") + std::strerror(errno)};
    for (const auto &folder : folders_) {
        state_->watches.push_back(std::make_unique<FolderWatch>(folder, s_, handled_));
        state_->nextAttach.push_back(Steady::time_point::min());
    }
    thread_ = std::thread([this] { run(); });
    return true;
}

void DropWatcher::stop() {
    if (!thread_.joinable()) return;
    const std::uint64_t one = 1;
    (void)!::write(stopFd_, &one, sizeof one);
    thread_.join();
}

void DropWatcher::run() {
    constexpr auto kAttachRetry = std::chrono::seconds(5);
    auto &watches = state_->watches;
    alignas(struct inotify_event) char buffer[64 * 1024];
    for (;;) {
        auto now = Steady::now();
        auto next = now + kAttachRetry;
        for (std::size_t i = 0; i < watches.size(); ++i) {
            if (!watches[i]->attached() && state_->nextAttach[i] <= now && !watches[i]->attach(state_->inotifyFd, now))
                state_->nextAttach[i] = now + kAttachRetry;
            watches[i]->work(now);
            next = std::min(next, watches[i]->nextDue());
        }
        now = Steady::now();
        const auto waitMs =
            next <= now ? 0 : std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count() + 1;
        struct pollfd fds[2] = {{state_->inotifyFd, POLLIN, 0}, {stopFd_, POLLIN, 0}};
        if (::poll(fds, 2, static_cast<int>(std::min<std::int64_t>(waitMs, 5000))) < 0 && errno != EINTR) break;
        if (fds[1].revents != 0) break;
        if (fds[0].revents == 0) continue;
        const ssize_t n = ::read(state_->inotifyFd, buffer, sizeof buffer);
        if (n <= 0) continue;
        now = Steady::now();
        for (ssize_t at = 0; at < n;) {
            const auto *event = reinterpret_cast<const struct inotify_event *>(buffer + at);
            at += static_cast<ssize_t>(sizeof(struct inotify_event) + event->len);
            if (event->mask & IN_Q_OVERFLOW) {
                // Events were lost: look at everything again.
                for (auto &watch : watches)
                    if (watch->attached()) watch->rescan(now);
                continue;
            }
            for (std::size_t i = 0; i < watches.size(); ++i) {
                if (watches[i]->wd() != event->wd) continue;
                if (event->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF)) {
                    s_.logger.log(LogLevel::Error, "sftp",
                                  "the drop folder of partner " + watches[i]->folder().layout.partnerId +
                                      " went away; watching again once it is back");
                    if (!(event->mask & IN_IGNORED)) ::inotify_rm_watch(state_->inotifyFd, event->wd);
                    watches[i]->detach();
                    state_->nextAttach[i] = now + kAttachRetry;
                } else {
                    watches[i]->onEvent(event->mask, event->len ? std::string(event->name) : std::string(), now);
                }
            }
        }
    }
    for (auto &watch : watches) watch->detach();
}

}  // namespace lendgate::sftp
