// Raw inputs as blobs: what a partner sent, kept byte for byte so any message
// can be decoded again ("replay from the original bytes").
//
// The rule the types enforce: a blob is durable before anything refers to it.
// Only a BlobStore can make a StoredBlob, and it hands one out only after the
// bytes and their directory entry are on disk; the journal takes a StoredBlob,
// never a bare name.
//
// Every blob is encrypted with its own data key; the key, wrapped by the key
// ring, is kept in the journal rather than beside the file. Destroying the
// wrapped key in the journal purges the blob even where the file or a backup
// of it survives (crypto-shredding).
#ifndef LENDGATE_JOURNAL_BLOB_STORE_H
#define LENDGATE_JOURNAL_BLOB_STORE_H

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "core/common/result.h"

namespace lendgate::journal {

/// A pull reader over input bytes (an HTTP body, a dropped file).
class ByteSource {
public:
    virtual ~ByteSource() = default;
    /// Reads up to `capacity` bytes into `buffer`; 0 means the end. A short
    /// read is not the end. An error aborts whatever is consuming the source.
    virtual Result<std::size_t> read(char *buffer, std::size_t capacity) = 0;
};

/// A ByteSource over bytes already in memory (small HTTP bodies, tests).
class StringSource final : public ByteSource {
public:
    explicit StringSource(std::string_view data) : data_(data) {}
    Result<std::size_t> read(char *buffer, std::size_t capacity) override;

private:
    std::string_view data_;
};

/// A ByteSource over an open file descriptor (a dropped file), read to its
/// end. The descriptor stays the caller's.
class FileSource final : public ByteSource {
public:
    explicit FileSource(int fd) : fd_(fd) {}
    Result<std::size_t> read(char *buffer, std::size_t capacity) override;

private:
    int fd_;
};

/// What the journal keeps about a blob.
struct BlobRecord {
    std::string blobId;      ///< the file's name: "<content id>-<16 hex digits>"
    std::string contentId;   ///< keyed hash of the plaintext (ContentHasher): the duplicate-file key
    std::string wrappedKey;  ///< the blob's data key sealed by the key ring (DataCipher), binary
    std::uint64_t size = 0;  ///< plaintext bytes

    bool operator==(const BlobRecord &) const = default;
};

/// A blob that is durably stored. Only a BlobStore can make one.
class StoredBlob {
public:
    const BlobRecord &record() const noexcept { return record_; }
    const std::string &blobId() const noexcept { return record_.blobId; }
    const std::string &contentId() const noexcept { return record_.contentId; }
    std::uint64_t size() const noexcept { return record_.size; }
    /// Plain SHA-256 of the plaintext, for an ACK's file digest that the
    /// sender can check. Unlike the content id it is unkeyed, so the journal
    /// does not keep it: a small input's digest could be guessed back.
    const std::string &sha256Hex() const noexcept { return sha256Hex_; }

private:
    friend class BlobStore;
    StoredBlob(BlobRecord record, std::string sha256Hex)
        : record_(std::move(record)), sha256Hex_(std::move(sha256Hex)) {}

    BlobRecord record_;
    std::string sha256Hex_;
};

/// Reads a blob back, sequentially (as a ByteSource, e.g. to decode it again)
/// or by range (one record of a bulk file).
class BlobReader : public ByteSource {
public:
    virtual std::uint64_t size() const = 0;
    /// `length` bytes at `offset`; fails with invalid_argument past the end.
    virtual Result<std::string> readRange(std::uint64_t offset, std::size_t length) = 0;
};

class BlobStore {
public:
    virtual ~BlobStore() = default;

    /// Streams `source` into a new blob in bounded memory and returns once it
    /// is durable. Fails with too_large past `maxBytes` (nothing is kept),
    /// unavailable when the disk is full or failing, or the source's own error.
    /// The same content put twice gives two blobs with one content id: the
    /// journal recognises the duplicate, and the caller purges the unused one.
    virtual Result<StoredBlob> put(ByteSource &source, std::uint64_t maxBytes) = 0;

    /// Opens a blob the journal knows. Fails with not_found, purged (the record
    /// has no key any more), or corrupt when the bytes fail authentication.
    virtual Result<std::unique_ptr<BlobReader>> open(const BlobRecord &blob) = 0;

    /// Deletes a blob's file; absent is not an error. To purge a referenced
    /// blob, destroy its key in the journal first (Journal::purgeBlobKey).
    virtual Result<bool> purge(std::string_view blobId) = 0;

protected:
    static StoredBlob makeStoredBlob(BlobRecord record, std::string sha256Hex) {
        return StoredBlob(std::move(record), std::move(sha256Hex));
    }
};

}  // namespace lendgate::journal

#endif  // LENDGATE_JOURNAL_BLOB_STORE_H
