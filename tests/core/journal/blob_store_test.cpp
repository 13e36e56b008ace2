#include "core/journal/fs_blob_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <type_traits>

#include <gtest/gtest.h>

#include "core/security/encoding.h"
#include "core/security/hmac.h"
#include "core/security/key_ring.h"
#include "core/security/tokenizer.h"
#include "tests/core/security/security_test_support.h"

namespace lendgate::journal {
namespace {

using lendgate::testing::ManualClock;
using lendgate::testing::TempDir;
namespace fs = std::filesystem;

// Only a BlobStore makes a StoredBlob, so nothing can reference a blob that
// put() has not made durable.
static_assert(!std::is_constructible_v<StoredBlob, BlobRecord, std::string>);
static_assert(!std::is_default_constructible_v<StoredBlob>);

/// Hands out its bytes a few at a time, and can fail part-way like a client
/// that disconnects.
class DribbleSource final : public ByteSource {
public:
    DribbleSource(std::string data, std::size_t step, std::size_t failAt = std::string::npos)
        : data_(std::move(data)), step_(step), failAt_(failAt) {}
    Result<std::size_t> read(char *buffer, std::size_t capacity) override {
        if (position_ >= failAt_) return Error{"client_gone", "the client disconnected"};
        const std::size_t n = std::min({capacity, step_, data_.size() - position_});
        std::copy_n(data_.data() + position_, n, buffer);
        position_ += n;
        return n;
    }

private:
    std::string data_;
    std::size_t step_;
    std::size_t failAt_;
    std::size_t position_ = 0;
};

std::string bankFile(std::size_t bytes) {
    std::string out = "account,ssn,amount\n";
    for (int i = 0; out.size() < bytes; ++i) {
        out += "44171234" + std::to_string(10000000 + i) + ",900-12-" + std::to_string(1000 + i % 9000) + ",125.10\n";
    }
    out.resize(bytes);
    return out;
}

std::size_t filesUnder(const fs::path &dir) {
    std::size_t n = 0;
    for (const auto &entry : fs::recursive_directory_iterator(dir)) n += entry.is_regular_file() ? 1 : 0;
    return n;
}

std::string readAll(BlobReader &reader) {
    std::string out;
    char buffer[700];
    for (;;) {
        auto n = reader.read(buffer, sizeof buffer);
        if (!n) {
            ADD_FAILURE() << n.error().message;
            return out;
        }
        if (n.value() == 0) return out;
        out.append(buffer, n.value());
    }
}

class BlobStoreTest : public ::testing::Test {
protected:
    std::unique_ptr<FsBlobStore> makeStore() {
        auto store = FsBlobStore::create({dir_ / "blobs", 1024}, *ring_);
        if (!store) throw std::runtime_error(store.error().message);
        return std::move(store).value();
    }

    StoredBlob put(const std::string &data, std::size_t step = 333) {
        DribbleSource source(data, step);
        auto blob = store_->put(source, 1u << 20);
        if (!blob) throw std::runtime_error(blob.error().message);
        return std::move(blob).value();
    }

    TempDir dir_;
    ManualClock clock_;
    std::unique_ptr<security::KeyRing> ring_ = lendgate::testing::makeKeyRing(dir_, clock_);
    std::unique_ptr<FsBlobStore> store_ = makeStore();
};

TEST_F(BlobStoreTest, StreamsInChunksAndReadsBackWholeOrByRange) {
    const std::string data = bankFile(5000);
    const StoredBlob blob = put(data);
    EXPECT_EQ(blob.size(), data.size());
    EXPECT_EQ(blob.contentId(), security::ContentHasher::create(*ring_).value().of(data).value());
    EXPECT_EQ(blob.blobId().substr(0, 64), blob.contentId());
    security::Sha256 sha;
    sha.update(data);
    EXPECT_EQ(blob.sha256Hex(), security::toHex(sha.finish().value()));

    auto reader = store_->open(blob.record());
    ASSERT_TRUE(reader.ok()) << reader.error().message;
    EXPECT_EQ(readAll(*reader.value()), data);
    auto range = reader.value()->readRange(1000, 1500);  // spans chunks 0, 1 and 2
    ASSERT_TRUE(range.ok()) << range.error().message;
    EXPECT_EQ(range.value(), data.substr(1000, 1500));
    EXPECT_FALSE(reader.value()->readRange(4900, 101).ok()) << "past the end";
}

TEST_F(BlobStoreTest, NothingReadableIsOnDisk) {
    const std::string data = bankFile(3000);
    const StoredBlob blob = put(data);
    std::ifstream in(store_->pathOf(blob.blobId()), std::ios::binary);
    const std::string onDisk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_GT(onDisk.size(), data.size());
    EXPECT_EQ(onDisk.find("900-12-"), std::string::npos);
    EXPECT_EQ(onDisk.find("44171234"), std::string::npos);
    EXPECT_EQ(onDisk.find("account,ssn"), std::string::npos);
}

TEST_F(BlobStoreTest, EmptyAndChunkAlignedInputsRoundTrip) {
    for (std::size_t size : {std::size_t{0}, std::size_t{1024}, std::size_t{2048}, std::size_t{2049}}) {
        const std::string data = bankFile(size);
        const StoredBlob blob = put(data, 4096);
        auto reader = store_->open(blob.record());
        ASSERT_TRUE(reader.ok()) << size << ": " << reader.error().message;
        EXPECT_EQ(readAll(*reader.value()), data) << size;
    }
}

TEST_F(BlobStoreTest, DurableBeforeItIsHandedOut) {
    const std::string data = bankFile(4000);
    const StoredBlob blob = put(data);
    // By the time put() returns, the blob has its final name and no
    // temporary file is left; a restarted gateway (new ring and store
    // objects over the same directories) reads it back.
    EXPECT_TRUE(fs::is_regular_file(store_->pathOf(blob.blobId())));
    EXPECT_EQ(filesUnder(dir_ / "blobs/tmp"), 0u);
    auto ring = std::move(security::KeyRing::open(dir_ / "keys", clock_)).value();
    auto restarted = std::move(FsBlobStore::create({dir_ / "blobs", 1024}, *ring)).value();
    auto reader = restarted->open(blob.record());
    ASSERT_TRUE(reader.ok()) << reader.error().message;
    EXPECT_EQ(readAll(*reader.value()), data);
}

TEST_F(BlobStoreTest, AFailedOrOversizedInputLeavesNothing) {
    DribbleSource failing(bankFile(5000), 500, 3000);
    auto failed = store_->put(failing, 1u << 20);
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.error().code, "client_gone");
    DribbleSource huge(bankFile(5000), 500);
    auto tooLarge = store_->put(huge, 4096);
    ASSERT_FALSE(tooLarge.ok());
    EXPECT_EQ(tooLarge.error().code, "too_large");
    EXPECT_EQ(filesUnder(dir_ / "blobs"), 0u);
}

TEST_F(BlobStoreTest, TamperingIsDetected) {
    const std::string data = bankFile(3000);
    const StoredBlob blob = put(data);
    const fs::path file = store_->pathOf(blob.blobId());
    {
        const int fd = ::open(file.c_str(), O_RDWR);
        char byte = 0;
        ASSERT_EQ(::pread(fd, &byte, 1, 1500), 1);
        byte = static_cast<char>(byte ^ 0x20);
        ASSERT_EQ(::pwrite(fd, &byte, 1, 1500), 1);
        ::close(fd);
    }
    auto reader = store_->open(blob.record());
    ASSERT_TRUE(reader.ok());
    auto range = reader.value()->readRange(1024, 10);  // chunk 1 holds byte 1500 of the file
    ASSERT_FALSE(range.ok());
    EXPECT_EQ(range.error().code, "corrupt");
    EXPECT_TRUE(reader.value()->readRange(0, 10).ok()) << "other chunks still read";
}

TEST_F(BlobStoreTest, TruncationIsDetectedEvenAtAChunkBoundary) {
    const std::string data = bankFile(3000);
    const StoredBlob blob = put(data);
    const fs::path file = store_->pathOf(blob.blobId());
    fs::resize_file(file, 16 + 2 * (1024 + 16));  // drop the last chunk exactly
    BlobRecord truncated = blob.record();
    EXPECT_FALSE(store_->open(truncated).ok()) << "the journal's recorded size no longer matches";
    truncated.size = 2048;  // even a forged size does not help: chunk 1 was not sealed as the last
    auto reader = store_->open(truncated);
    ASSERT_TRUE(reader.ok());
    auto tail = reader.value()->readRange(2000, 48);
    ASSERT_FALSE(tail.ok());
    EXPECT_EQ(tail.error().code, "corrupt");
}

TEST_F(BlobStoreTest, WithoutItsKeyABlobIsUnreadable) {
    const StoredBlob first = put(bankFile(2000));
    const StoredBlob second = put(bankFile(2500));
    BlobRecord purged = first.record();
    purged.wrappedKey.clear();
    auto gone = store_->open(purged);
    ASSERT_FALSE(gone.ok());
    EXPECT_EQ(gone.error().code, "purged");
    BlobRecord swapped = first.record();
    swapped.wrappedKey = second.record().wrappedKey;  // a key is bound to its own blob
    EXPECT_FALSE(store_->open(swapped).ok());
    ASSERT_TRUE(store_->purge(first.blobId()).ok());
    EXPECT_FALSE(fs::exists(store_->pathOf(first.blobId())));
    EXPECT_EQ(store_->open(first.record()).error().code, "not_found");
    EXPECT_TRUE(store_->purge(first.blobId()).ok()) << "purging twice is fine";
    EXPECT_FALSE(store_->purge("../../etc/passwd").ok());
}

TEST_F(BlobStoreTest, SameContentTwiceSharesTheContentIdNotTheFile) {
    const std::string data = bankFile(1500);
    const StoredBlob first = put(data);
    const StoredBlob second = put(data, 10);
    EXPECT_EQ(first.contentId(), second.contentId());
    EXPECT_NE(first.blobId(), second.blobId());
    EXPECT_NE(first.record().wrappedKey, second.record().wrappedKey);
}

TEST_F(BlobStoreTest, OrphansAndLeftoverTemporaryFilesAreSwept) {
    const StoredBlob kept = put(bankFile(1500));
    const StoredBlob orphan = put(bankFile(1700));
    std::ofstream(dir_ / "blobs/tmp/0011223344556677.partial") << "left by a crash";
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
    auto removed = store_->removeOrphans(now + 60000, [&](std::string_view id) { return id == kept.blobId(); });
    ASSERT_TRUE(removed.ok()) << removed.error().message;
    EXPECT_EQ(removed.value(), 2u);
    EXPECT_TRUE(fs::exists(store_->pathOf(kept.blobId())));
    EXPECT_FALSE(fs::exists(store_->pathOf(orphan.blobId())));
    EXPECT_EQ(store_->removeOrphans(now - 60000, [](std::string_view) { return false; }).value(), 0u)
        << "young files are left alone: their puts may still be on their way to the journal";
}

}  // namespace
}  // namespace lendgate::journal
