#include "core/journal/blob_store.h"

#include <algorithm>
#include <cstring>

namespace lendgate::journal {

Result<std::size_t> StringSource::read(char *buffer, std::size_t capacity) {
    const std::size_t n = std::min(capacity, data_.size());
    std::memcpy(buffer, data_.data(), n);
    data_.remove_prefix(n);
    return n;
}

}  // namespace lendgate::journal
