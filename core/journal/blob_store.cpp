#include "core/journal/blob_store.h"

#include <fcntl.h>

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "core/journal/journal.h"

namespace lendgate::journal {

Result<std::size_t> StringSource::read(char *buffer, std::size_t capacity) {
    const std::size_t n = std::min(capacity, data_.size());
    std::memcpy(buffer, data_.data(), n);
    data_.remove_prefix(n);
    return n;
}

Result<std::size_t> FileSource::read(char *buffer, std::size_t capacity) {
    for (;;) {
        const ssize_t n = ::read(fd_, buffer, capacity);
        if (n >= 0) return static_cast<std::size_t>(n);
        if (errno != EINTR) return Error{std::string(errc::kUnavailable), std::string("reading the input failed: ") + std::strerror(errno)};
    }
}

}  // namespace lendgate::journal
