#include "core/journal/ulid.h"

#include <algorithm>
#include <random>

#include "core/security/encoding.h"
#include "core/security/secret.h"

namespace lendgate::journal {
namespace {

constexpr std::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr std::uint64_t kMaxTimestamp = (std::uint64_t{1} << 48) - 1;

void freshRandom(std::array<std::uint8_t, 10> &random) {
    if (security::randomBytes(random).ok()) return;
    // RAND_bytes failing means OpenSSL could not seed itself; IDs still have
    // to be unique, which the kernel's generator guarantees as well.
    std::random_device device;
    for (auto &byte : random) byte = static_cast<std::uint8_t>(device());
}

/// Adds one to the 80-bit big-endian random part; false when it wrapped.
bool increment(std::array<std::uint8_t, 10> &random) {
    for (auto it = random.rbegin(); it != random.rend(); ++it) {
        if (++*it != 0) return true;
    }
    return false;
}

}  // namespace

std::string UlidGenerator::next() {
    const auto now = static_cast<std::uint64_t>(std::max<std::int64_t>(0, clock_.nowUnixMs()));
    std::array<std::uint8_t, 16> bytes{};
    {
        std::lock_guard lock(mutex_);
        if (now > lastMs_) {
            lastMs_ = std::min(now, kMaxTimestamp);
            freshRandom(random_);
        } else if (!increment(random_)) {
            // 2^80 IDs in one millisecond cannot happen; borrow the next one.
            lastMs_ = std::min(lastMs_ + 1, kMaxTimestamp);
            freshRandom(random_);
        }
        for (int i = 0; i < 6; ++i) bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(lastMs_ >> (40 - 8 * i));
        std::copy(random_.begin(), random_.end(), bytes.begin() + 6);
    }
    return security::toCrockford128(bytes);
}

bool isUlidText(std::string_view text) noexcept {
    if (text.size() != 26 || text[0] < '0' || text[0] > '7') return false;
    return std::all_of(text.begin(), text.end(), [](char c) { return kCrockford.find(c) != std::string_view::npos; });
}

std::uint64_t ulidTimestampMs(std::string_view text) noexcept {
    if (!isUlidText(text)) return 0;
    // The first 10 characters carry 50 bits: two zero bits and the 48-bit time.
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < 10; ++i) value = (value << 5) | kCrockford.find(text[i]);
    return value;
}

}  // namespace lendgate::journal
