#include "core/journal/purge_ledger.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>

namespace lendgate::journal {
namespace fs = std::filesystem;

bool looksLikeBlobId(std::string_view id) {
    if (id.empty() || id.size() > 200) return false;
    for (char c : id)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_'))
            return false;
    return true;
}

namespace {

Result<bool> appendLine(const fs::path &file, const std::string &line) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return Error{"purge_ledger", "cannot open " + file.string() + ": " + std::strerror(errno)};
    const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
    const int error = errno;
    ::close(fd);
    if (!ok) return Error{"purge_ledger", "cannot write " + file.string() + ": " + std::strerror(error)};
    return true;
}

}  // namespace

Result<bool> recordPurge(const fs::path &keyDir, std::string_view blobId, std::int64_t nowUnixMs) {
    if (!looksLikeBlobId(blobId)) return Error{"purge_ledger", "not a blob id"};
    return appendLine(keyDir / kPurgeLedgerFileName, std::to_string(nowUnixMs) + " " + std::string(blobId) + "\n");
}

Result<bool> recordErasure(const fs::path &keyDir, std::int64_t cutoffMs, std::int64_t nowUnixMs) {
    return appendLine(keyDir / kErasureLedgerFileName,
                      std::to_string(nowUnixMs) + " " + std::to_string(cutoffMs) + "\n");
}

Result<std::optional<std::int64_t>> latestErasureCutoff(const fs::path &keyDir) {
    const fs::path file = keyDir / kErasureLedgerFileName;
    std::optional<std::int64_t> latest;
    std::error_code ec;
    if (!fs::exists(file, ec)) return latest;
    std::ifstream in(file);
    if (!in) return Error{"purge_ledger", "cannot read " + file.string()};
    std::size_t number = 0;
    for (std::string line; std::getline(in, line);) {
        ++number;
        std::int64_t at = 0, cutoff = 0;
        const auto space = line.find(' ');
        const char *end = line.data() + line.size();
        if (space == std::string::npos ||
            std::from_chars(line.data(), line.data() + space, at).ptr != line.data() + space ||
            std::from_chars(line.data() + space + 1, end, cutoff).ptr != end)
            return Error{"purge_ledger", file.string() + " line " + std::to_string(number) + " is not an entry"};
        latest = std::max(latest.value_or(cutoff), cutoff);
    }
    return latest;
}

Result<std::vector<std::string>> purgedBlobs(const fs::path &keyDir) {
    const fs::path file = keyDir / kPurgeLedgerFileName;
    std::vector<std::string> ids;
    std::error_code ec;
    if (!fs::exists(file, ec)) return ids;
    std::ifstream in(file);
    if (!in) return Error{"purge_ledger", "cannot read " + file.string()};
    std::size_t number = 0;
    for (std::string line; std::getline(in, line);) {
        ++number;
        const auto space = line.find(' ');
        if (space == std::string::npos || space == 0 || !looksLikeBlobId(std::string_view(line).substr(space + 1)))
            return Error{"purge_ledger", file.string() + " line " + std::to_string(number) + " is not an entry"};
        ids.push_back(line.substr(space + 1));
    }
    return ids;
}

}  // namespace lendgate::journal
