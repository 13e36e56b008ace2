#include "core/journal/fs_blob_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "core/common/unique_fd.h"
#include "core/security/encoding.h"
#include "core/security/hmac.h"
#include "core/security/key_ring.h"
#include "core/security/secret.h"

namespace lendgate::journal {
namespace fs = std::filesystem;
namespace {

constexpr char kMagic[4] = {'L', 'G', 'B', 1};
constexpr std::size_t kHeaderBytes = 16;
constexpr std::size_t kTag = security::kGcmTagBytes;
constexpr std::size_t kMinChunk = 1024;
constexpr std::size_t kMaxChunk = 16u << 20;
constexpr std::string_view kWrapPurpose = "lendgate/blob-key/v1:";

using Fd = UniqueFd;

/// Disk full, quota, I/O error: the caller answers 503 and the sender retries.
Error unavailable(std::string_view action, const fs::path &path, int err) {
    return Error{"unavailable", "blob store: cannot " + std::string(action) + " " + path.string() + ": " +
                                    std::strerror(err)};
}

Error corrupt(std::string_view blobId, std::string_view problem) {
    return Error{"corrupt", "blob " + std::string(blobId) + " " + std::string(problem)};
}

bool isHex(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

/// "<64 hex>-<16 hex>": checked before a name becomes a path, so no id can
/// reach outside the directory.
bool isBlobId(std::string_view id) {
    return id.size() == 81 && id[64] == '-' && isHex(id.substr(0, 64)) && isHex(id.substr(65));
}

void putU32(char *out, std::uint32_t value) {
    for (int i = 0; i < 4; ++i) out[i] = static_cast<char>(value >> (24 - 8 * i));
}

std::uint32_t getU32(const char *in) {
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) value = (value << 8) | static_cast<std::uint8_t>(in[i]);
    return value;
}

security::GcmNonce chunkNonce(std::uint64_t index) {
    security::GcmNonce nonce{};
    for (int i = 0; i < 8; ++i) nonce[static_cast<std::size_t>(4 + i)] = static_cast<std::uint8_t>(index >> (56 - 8 * i));
    return nonce;
}

std::string chunkAad(std::string_view header, std::uint64_t index, bool last) {
    std::string aad(header);
    for (int i = 0; i < 8; ++i) aad.push_back(static_cast<char>(index >> (56 - 8 * i)));
    aad.push_back(last ? 1 : 0);
    return aad;
}

Result<bool> fsyncDirectory(const fs::path &dir) {
    Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0 || ::fsync(fd.get()) != 0) return unavailable("sync directory", dir, errno);
    return true;
}

Result<bool> writeAll(int fd, const char *data, std::size_t size, const fs::path &path) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return unavailable("write", path, errno);
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

Result<bool> makePrivateDirectory(const fs::path &dir) {
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return unavailable("create directory", dir, errno);
    return true;
}

/// Reads from `source` until `size` bytes are in `buffer` or the source ends.
Result<std::size_t> fill(ByteSource &source, char *buffer, std::size_t size) {
    std::size_t filled = 0;
    while (filled < size) {
        auto n = source.read(buffer + filled, size - filled);
        if (!n) return n.error();
        if (n.value() == 0) break;
        filled += n.value();
    }
    return filled;
}

class FsBlobReader final : public BlobReader {
public:
    FsBlobReader(int fd, std::string blobId, std::string header, security::SecretKey key, std::size_t chunkBytes,
                 std::uint64_t chunks, std::uint64_t size)
        : fd_(fd), blobId_(std::move(blobId)), header_(std::move(header)), key_(key), chunkBytes_(chunkBytes),
          chunks_(chunks), size_(size) {}

    std::uint64_t size() const override { return size_; }

    Result<std::size_t> read(char *buffer, std::size_t capacity) override {
        if (position_ >= size_ || capacity == 0) return std::size_t{0};
        auto loaded = load(position_ / chunkBytes_);
        if (!loaded) return loaded.error();
        const std::size_t within = static_cast<std::size_t>(position_ % chunkBytes_);
        const std::size_t n = std::min(capacity, plain_.size() - within);
        std::memcpy(buffer, plain_.data() + within, n);
        position_ += n;
        return n;
    }

    Result<std::string> readRange(std::uint64_t offset, std::size_t length) override {
        if (offset > size_ || length > size_ - offset) {
            return Error{"invalid_argument", "range past the end of blob " + blobId_};
        }
        std::string out;
        out.reserve(length);
        while (out.size() < length) {
            const std::uint64_t at = offset + out.size();
            auto loaded = load(at / chunkBytes_);
            if (!loaded) return loaded.error();
            const std::size_t within = static_cast<std::size_t>(at % chunkBytes_);
            out.append(plain_, within, std::min(length - out.size(), plain_.size() - within));
        }
        return out;
    }

private:
    Result<bool> load(std::uint64_t index) {
        if (index == cached_) return true;
        const bool last = index + 1 == chunks_;
        const std::size_t plainBytes = last ? static_cast<std::size_t>(size_ - index * chunkBytes_) : chunkBytes_;
        std::string sealed(plainBytes + kTag, '\0');
        const auto offset = static_cast<off_t>(kHeaderBytes + index * (chunkBytes_ + kTag));
        for (std::size_t done = 0; done < sealed.size();) {
            const ssize_t n = ::pread(fd_.get(), sealed.data() + done, sealed.size() - done,
                                      offset + static_cast<off_t>(done));
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) return unavailable("read blob", blobId_, errno);
            if (n == 0) return corrupt(blobId_, "is shorter than its chunks");
            done += static_cast<std::size_t>(n);
        }
        plain_.assign(plainBytes, '\0');
        cached_ = ~std::uint64_t{0};
        auto opened = security::aesGcmOpen(key_, chunkNonce(index), sealed, chunkAad(header_, index, last),
                                           plain_.data());
        if (!opened) return corrupt(blobId_, "chunk " + std::to_string(index) + " failed authentication");
        cached_ = index;
        return true;
    }

    Fd fd_;
    std::string blobId_;
    std::string header_;
    security::SecretKey key_;
    std::size_t chunkBytes_;
    std::uint64_t chunks_;
    std::uint64_t size_;
    std::uint64_t position_ = 0;
    std::uint64_t cached_ = ~std::uint64_t{0};
    std::string plain_;
};

}  // namespace

Result<std::unique_ptr<FsBlobStore>> FsBlobStore::create(const FsBlobStoreOptions &options,
                                                         const security::KeyRing &ring) {
    if (options.directory.empty()) return Error{"invalid_config", "blob store directory is not configured"};
    if (options.chunkBytes < kMinChunk || options.chunkBytes > kMaxChunk) {
        return Error{"invalid_config", "blob store chunk size must be between 1 KiB and 16 MiB"};
    }
    std::error_code ec;
    fs::create_directories(options.directory.parent_path(), ec);
    if (auto made = makePrivateDirectory(options.directory); !made) return made.error();
    if (auto made = makePrivateDirectory(options.directory / "tmp"); !made) return made.error();
    auto hasher = security::ContentHasher::create(ring);
    if (!hasher) return hasher.error();
    return std::unique_ptr<FsBlobStore>(new FsBlobStore(options, ring, std::move(hasher).value()));
}

fs::path FsBlobStore::pathOf(std::string_view blobId) const {
    return directory_ / std::string(blobId.substr(0, 2)) / std::string(blobId);
}

Result<bool> FsBlobStore::ensureShard(const fs::path &shard) {
    struct stat st {};
    if (::stat(shard.c_str(), &st) == 0) return true;
    if (auto made = makePrivateDirectory(shard); !made) return made;
    // The new directory's own entry must be durable too, or a crash could
    // lose the whole shard with the blob in it.
    return fsyncDirectory(directory_);
}

Result<StoredBlob> FsBlobStore::put(ByteSource &source, std::uint64_t maxBytes) {
    std::array<std::uint8_t, 8> instance{};
    if (auto ok = security::randomBytes(instance); !ok) return ok.error();
    auto dataKey = security::SecretKey::random();
    if (!dataKey) return dataKey.error();
    const std::string instanceHex = security::toHex(instance);
    const fs::path temp = directory_ / "tmp" / (instanceHex + ".partial");

    Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (fd.get() < 0) return unavailable("create", temp, errno);
    // Whatever fails below, no partial file stays behind.
    struct RemoveOnFailure {
        const fs::path &path;
        bool armed = true;
        ~RemoveOnFailure() {
            if (armed) ::unlink(path.c_str());
        }
    } cleanup{temp};

    std::string header(kMagic, sizeof kMagic);
    header.resize(kHeaderBytes);
    putU32(header.data() + 4, static_cast<std::uint32_t>(chunkBytes_));
    std::memcpy(header.data() + 8, instance.data(), instance.size());
    if (auto ok = writeAll(fd.get(), header.data(), header.size(), temp); !ok) return ok.error();

    security::ContentHasher hasher = hasher_;
    security::Sha256 sha;
    // Left uninitialised, and the look-ahead and output buffers made only as
    // large as needed: every put (one per HTTP request, most a few KiB)
    // zeroed ~192 KiB that fill() and the cipher overwrite anyway, and
    // freeing the large blocks made malloc consolidate its heap.
    auto current = std::make_unique_for_overwrite<char[]>(chunkBytes_);
    std::unique_ptr<char[]> next;
    std::unique_ptr<char[]> sealed;
    std::size_t sealedCapacity = 0;
    std::uint64_t total = 0;
    auto currentBytes = fill(source, current.get(), chunkBytes_);
    if (!currentBytes) return currentBytes.error();
    for (std::uint64_t index = 0;; ++index) {
        total += currentBytes.value();
        if (total > maxBytes) {
            return Error{"too_large", "input is larger than the limit of " + std::to_string(maxBytes) + " bytes"};
        }
        // A short chunk means the source ended; a full one needs a look ahead
        // to know whether it is the last, which its associated data records.
        Result<std::size_t> nextBytes = std::size_t{0};
        if (currentBytes.value() == chunkBytes_) {
            if (!next) next = std::make_unique_for_overwrite<char[]>(chunkBytes_);
            nextBytes = fill(source, next.get(), chunkBytes_);
            if (!nextBytes) return nextBytes.error();
        }
        const bool last = nextBytes.value() == 0;
        const std::string_view plain(current.get(), currentBytes.value());
        hasher.update(plain);
        sha.update(plain);
        if (sealedCapacity < plain.size() + kTag) {
            sealedCapacity = plain.size() + kTag;
            sealed = std::make_unique_for_overwrite<char[]>(sealedCapacity);
        }
        auto ok = security::aesGcmSeal(dataKey.value(), chunkNonce(index), plain, chunkAad(header, index, last),
                                       sealed.get());
        if (!ok) return ok.error();
        if (auto wrote = writeAll(fd.get(), sealed.get(), plain.size() + kTag, temp); !wrote) return wrote.error();
        if (last) break;
        std::swap(current, next);
        currentBytes = nextBytes;
    }
    if (::fsync(fd.get()) != 0) return unavailable("sync", temp, errno);
    if (::close(fd.release()) != 0) return unavailable("close", temp, errno);

    auto contentId = hasher.finish();
    if (!contentId) return contentId.error();
    auto digest = sha.finish();
    if (!digest) return digest.error();
    const std::string blobId = contentId.value() + "-" + instanceHex;
    const std::string_view keyBytes(reinterpret_cast<const char *>(dataKey.value().data()), security::kKeyBytes);
    auto wrapped = cipher_.encrypt(keyBytes, std::string(kWrapPurpose) + blobId);
    if (!wrapped) return wrapped.error();

    const fs::path final = pathOf(blobId);
    if (auto ok = ensureShard(final.parent_path()); !ok) return ok.error();
    if (::rename(temp.c_str(), final.c_str()) != 0) return unavailable("store", final, errno);
    cleanup.armed = false;
    if (auto ok = fsyncDirectory(final.parent_path()); !ok) {
        ::unlink(final.c_str());  // not known durable, so never handed out
        return ok.error();
    }
    return makeStoredBlob(BlobRecord{blobId, contentId.value(), std::move(wrapped).value(), total},
                          security::toHex(digest.value()));
}

Result<std::unique_ptr<BlobReader>> FsBlobStore::open(const BlobRecord &blob) {
    if (!isBlobId(blob.blobId)) return Error{"invalid_argument", "not a blob id"};
    if (blob.wrappedKey.empty()) return Error{"purged", "blob " + blob.blobId + " was purged"};
    auto keyBytes = cipher_.decrypt(blob.wrappedKey, std::string(kWrapPurpose) + blob.blobId);
    if (!keyBytes) return keyBytes.error();
    if (keyBytes.value().size() != security::kKeyBytes) return corrupt(blob.blobId, "has a malformed data key");
    const security::SecretKey key(std::span<const std::uint8_t, security::kKeyBytes>(
        reinterpret_cast<const std::uint8_t *>(keyBytes.value().data()), security::kKeyBytes));
    security::wipe(keyBytes.value());

    const fs::path path = pathOf(blob.blobId);
    Fd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (fd.get() < 0) {
        if (errno == ENOENT) return Error{"not_found", "blob " + blob.blobId + " has no file"};
        return unavailable("open", path, errno);
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return unavailable("inspect", path, errno);
    std::string header(kHeaderBytes, '\0');
    if (::pread(fd.get(), header.data(), kHeaderBytes, 0) != static_cast<ssize_t>(kHeaderBytes) ||
        std::memcmp(header.data(), kMagic, sizeof kMagic) != 0) {
        return corrupt(blob.blobId, "has no valid header");
    }
    const std::size_t chunkBytes = getU32(header.data() + 4);
    if (chunkBytes < kMinChunk || chunkBytes > kMaxChunk ||
        security::toHex(std::string_view(header.data() + 8, 8)) != std::string_view(blob.blobId).substr(65)) {
        return corrupt(blob.blobId, "has a header that does not match its name");
    }
    const auto body = static_cast<std::uint64_t>(st.st_size) - kHeaderBytes;
    const std::uint64_t stride = chunkBytes + kTag;
    const std::uint64_t chunks = (body + stride - 1) / stride;
    const std::uint64_t lastSealed = chunks == 0 ? 0 : body - (chunks - 1) * stride;
    if (static_cast<std::uint64_t>(st.st_size) < kHeaderBytes + kTag || lastSealed < kTag ||
        (chunks - 1) * chunkBytes + (lastSealed - kTag) != blob.size) {
        return corrupt(blob.blobId, "does not have the size the journal recorded");
    }
    return std::unique_ptr<BlobReader>(
        new FsBlobReader(fd.release(), blob.blobId, std::move(header), key, chunkBytes, chunks, blob.size));
}

Result<bool> FsBlobStore::purge(std::string_view blobId) {
    if (!isBlobId(blobId)) return Error{"invalid_argument", "not a blob id"};
    const fs::path path = pathOf(blobId);
    if (::unlink(path.c_str()) != 0) {
        if (errno == ENOENT) return true;
        return unavailable("delete", path, errno);
    }
    return fsyncDirectory(path.parent_path());
}

Result<std::size_t> FsBlobStore::removeOrphans(std::int64_t olderThanUnixMs,
                                               const std::function<bool(std::string_view)> &isReferenced) {
    std::size_t removed = 0;
    auto oldEnough = [&](const fs::path &path) {
        struct stat st {};
        if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
        const std::int64_t mtimeMs = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
        return mtimeMs < olderThanUnixMs;
    };
    std::error_code ec;
    for (const auto &shard : fs::directory_iterator(directory_, ec)) {
        const std::string name = shard.path().filename().string();
        const bool isTemp = name == "tmp";
        if (!isTemp && (name.size() != 2 || !isHex(name))) continue;
        std::error_code inner;
        for (const auto &entry : fs::directory_iterator(shard.path(), inner)) {
            const std::string file = entry.path().filename().string();
            const bool candidate = isTemp ? file.ends_with(".partial") : isBlobId(file) && !isReferenced(file);
            if (candidate && oldEnough(entry.path()) && ::unlink(entry.path().c_str()) == 0) ++removed;
        }
        if (inner) return unavailable("list", shard.path(), inner.value());
    }
    if (ec) return unavailable("list", directory_, ec.value());
    return removed;
}

}  // namespace lendgate::journal
