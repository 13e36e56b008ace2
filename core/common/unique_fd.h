// A file descriptor that is closed when it goes out of scope, for the code
// that works on files through POSIX calls (O_NOFOLLOW, fsync, fchmod) where
// streams cannot.
#ifndef LENDGATE_COMMON_UNIQUE_FD_H
#define LENDGATE_COMMON_UNIQUE_FD_H

#include <unistd.h>

#include <utility>

namespace lendgate {

class UniqueFd {
public:
    explicit UniqueFd(int fd = -1) noexcept : fd_(fd) {}
    ~UniqueFd() { reset(); }
    UniqueFd(UniqueFd &&other) noexcept : fd_(other.release()) {}
    UniqueFd &operator=(UniqueFd &&other) noexcept {
        if (this != &other) {
            reset();
            fd_ = other.release();
        }
        return *this;
    }
    UniqueFd(const UniqueFd &) = delete;
    UniqueFd &operator=(const UniqueFd &) = delete;

    int get() const noexcept { return fd_; }
    /// Gives the descriptor up without closing it. To close and see close()'s
    /// result (some file systems, NFS among them, report write-back errors
    /// only there), call ::close(fd.release()).
    int release() noexcept { return std::exchange(fd_, -1); }
    void reset() noexcept {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_;
};

}  // namespace lendgate

#endif  // LENDGATE_COMMON_UNIQUE_FD_H
