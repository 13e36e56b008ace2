#include "core/journal/purge_ledger.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
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

Result<bool> recordPurge(const fs::path &keyDir, std::string_view blobId, std::int64_t nowUnixMs) {
    if (!looksLikeBlobId(blobId)) return Error{"purge_ledger", "not a blob id"};
    const fs::path file = keyDir / kPurgeLedgerFileName;
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return Error{"purge_ledger", "cannot open " + file.string() + ": " + std::strerror(errno)};
    const std::string line = std::to_string(nowUnixMs) + " " + std::string(blobId) + "\n";
    const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
    const int error = errno;
    ::close(fd);
    if (!ok) return Error{"purge_ledger", "cannot write " + file.string() + ": " + std::strerror(error)};
    return true;
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
