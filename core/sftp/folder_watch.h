// Private to core/sftp: one partner's drop folder, as DropWatcher's thread
// sees it (drop_watcher.h tells the rules).
#ifndef LENDGATE_SFTP_FOLDER_WATCH_H
#define LENDGATE_SFTP_FOLDER_WATCH_H

#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <map>
#include <set>
#include <string>

#include "core/sftp/drop_watcher.h"

namespace lendgate::sftp::detail {

using Steady = std::chrono::steady_clock;

class FolderWatch {
public:
    FolderWatch(const DropFolder &folder, DropServices &services, std::atomic<std::uint64_t> &handled)
        : f_(folder), s_(services), handled_(handled) {}
    ~FolderWatch() { detach(); }
    FolderWatch(const FolderWatch &) = delete;
    FolderWatch &operator=(const FolderWatch &) = delete;

    /// Opens the folders and adds the inotify watch; then picks up what a
    /// previous run left in processing and rescans inbound/.
    bool attach(int inotifyFd, Steady::time_point now);
    void detach();
    bool attached() const { return wd_ >= 0; }
    int wd() const { return wd_; }
    const DropFolder &folder() const { return f_; }

    void rescan(Steady::time_point now);
    void onEvent(std::uint32_t mask, const std::string &name, Steady::time_point now);
    /// Handles every file that is due.
    void work(Steady::time_point now);
    /// When work() next has something to do (max() if nothing).
    Steady::time_point nextDue() const;

private:
    struct Pending {
        Steady::time_point due;
        bool complete = false;  ///< renamed into place: no quiet period
        bool seen = false;      ///< size/mtime below are from an earlier look
        bool linkRecheck = false;
        off_t size = 0;
        struct timespec mtime {};
    };

    void workDue(Steady::time_point now);
    /// One look at inbound/NAME: refuse it, wait longer, or take it.
    void examine(const std::string &name, Pending &pending, Steady::time_point now);
    /// inbound/NAME → processing/NAME, then process(); false: try later.
    bool take(const std::string &name, Steady::time_point now);
    /// Journals processing/NAME and answers it; false: kept for a retry.
    bool process(const std::string &name);
    /// NACK for NAME, then removes `dirFd`/NAME (unless it is a folder we cannot remove).
    void refuse(int dirFd, const std::string &name, std::string_view code, const std::string &text);
    /// Writes the ACK file for NAME into outbound/; false on failure (logged).
    bool writeAck(const std::string &name, const std::string &document);
    std::string nack(const std::string &reference, std::string_view code, const std::string &text);

    const DropFolder &f_;
    DropServices &s_;
    std::atomic<std::uint64_t> &handled_;
    int wd_ = -1;
    bool attachFailed_ = false;
    int inboundFd_ = -1;
    int processingFd_ = -1;
    std::map<std::string, Pending> pending_;
    std::map<std::string, Steady::time_point> retries_;  // files in processing, and when to try again
    std::set<std::string> stuckDirs_;                    // folders the partner made that we cannot remove
};

}  // namespace lendgate::sftp::detail

#endif  // LENDGATE_SFTP_FOLDER_WATCH_H
