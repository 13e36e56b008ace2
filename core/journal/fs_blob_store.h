// Blobs as encrypted files in one directory.
//
//   <directory>/tmp/<instance>.partial     being written
//   <directory>/<ab>/<content id>-<instance>   stored; <ab> = first two hex digits
//
// A file holds a 16-byte header ("LGB", format 1, chunk size, the 8-byte
// instance id) and the plaintext in chunks, each sealed with AES-256-GCM under
// the blob's own data key. Chunk i uses nonce i, and its associated data is the
// header, i and whether it is the last chunk, so chunks cannot be reordered,
// moved between blobs or cut off at the end without failing authentication. A
// range of the plaintext (one record of a bulk file) is read by opening only
// the chunks it touches.
#ifndef LENDGATE_JOURNAL_FS_BLOB_STORE_H
#define LENDGATE_JOURNAL_FS_BLOB_STORE_H

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string_view>

#include "core/journal/blob_store.h"
#include "core/security/aead.h"
#include "core/security/tokenizer.h"

namespace lendgate::security {
class KeyRing;
}

namespace lendgate::journal {

struct FsBlobStoreOptions {
    std::filesystem::path directory;
    /// Plaintext bytes per sealed chunk: the unit of memory use and of random access.
    std::size_t chunkBytes = 64 * 1024;
};

class FsBlobStore final : public BlobStore {
public:
    /// Creates the directories (mode 0700) if needed. The ring must outlive the store.
    static Result<std::unique_ptr<FsBlobStore>> create(const FsBlobStoreOptions &options,
                                                       const security::KeyRing &ring);

    Result<StoredBlob> put(ByteSource &source, std::uint64_t maxBytes) override;
    Result<std::unique_ptr<BlobReader>> open(const BlobRecord &blob) override;
    Result<bool> purge(std::string_view blobId) override;

    /// Deletes stored blobs last modified before `olderThanUnixMs` for which
    /// `isReferenced` says no (puts that a crash or a duplicate left behind),
    /// and temporary files of that age. Returns how many files went.
    Result<std::size_t> removeOrphans(std::int64_t olderThanUnixMs,
                                      const std::function<bool(std::string_view blobId)> &isReferenced);

    /// Where a blob's file is (operations and tests).
    std::filesystem::path pathOf(std::string_view blobId) const;

private:
    FsBlobStore(const FsBlobStoreOptions &options, const security::KeyRing &ring, security::ContentHasher hasher)
        : directory_(options.directory), chunkBytes_(options.chunkBytes), cipher_(ring), hasher_(std::move(hasher)) {}

    Result<bool> ensureShard(const std::filesystem::path &shard);

    std::filesystem::path directory_;
    std::size_t chunkBytes_;
    security::DataCipher cipher_;
    security::ContentHasher hasher_;  ///< keyed, never finished: copied for each put
};

}  // namespace lendgate::journal

#endif  // LENDGATE_JOURNAL_FS_BLOB_STORE_H
