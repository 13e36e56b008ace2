// Outbound files the partner can open, and big files in bounded memory.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>

#include "core/security/encoding.h"
#include "core/security/hmac.h"
#include "tests/core/pgp/pgp_world.h"

namespace lendgate::pgp::testing {
namespace {

using EncryptTest = PgpTest;
using StreamTest = PgpTest;

const std::string kAssignment = R"({"message_type":"repossession_assignment","case_id":"C-1001"})";

/// gpg's machine-readable status lines for decrypting `cipher` as the partner.
std::string partnerOpens(const World &w, const std::string &cipher, std::string &plain) {
    const fs::path in = w.partner.file("c.gpg"), out = w.partner.file("p.out"), status = w.partner.file("st");
    writeFile(in, cipher);
    w.partner.gpg({"--status-file", status.string(), "--output", out.string(), "--decrypt", in.string()});
    plain = readFile(out);
    std::string lines = readFile(status);
    fs::remove(in);
    fs::remove(out);
    fs::remove(status);
    return lines;
}

TEST_F(EncryptTest, ThePartnerDecryptsOurFileAndSeesTheGatewaysSignature) {
    for (bool armor : {false, true}) {
        EncryptOptions options;
        options.recipient = world().partnerFpr;
        options.armor = armor;
        journal::StringSource source(kAssignment);
        StringSink sink;
        auto sent = world().gateway.keyring().encryptAndSign(source, sink, options);
        ASSERT_TRUE(sent) << sent.error().message;
        EXPECT_EQ(sent.value().signerFingerprint, world().gatewayFpr);
        EXPECT_EQ(sent.value().plaintextBytes, kAssignment.size());
        EXPECT_EQ(sent.value().ciphertextBytes, sink.bytes().size());
        EXPECT_EQ(sink.bytes().find("C-1001"), std::string::npos);
        EXPECT_EQ(sink.bytes().rfind("-----BEGIN PGP MESSAGE-----", 0) == 0, armor);

        std::string plain;
        const std::string status = partnerOpens(world(), sink.bytes(), plain);
        EXPECT_EQ(plain, kAssignment);
        EXPECT_NE(status.find("VALIDSIG"), std::string::npos) << status;
        EXPECT_NE(status.find(world().gatewayFpr), std::string::npos) << status;
        EXPECT_NE(status.find("DECRYPTION_OKAY"), std::string::npos);
    }
}

TEST_F(EncryptTest, OnlyThePartnerCanOpenIt) {
    EncryptOptions options;
    options.recipient = world().partnerFpr;
    journal::StringSource source(kAssignment);
    StringSink sink;
    ASSERT_TRUE(world().gateway.keyring().encryptAndSign(source, sink, options));
    // The gateway itself (not a recipient) cannot read what it sent.
    DecryptOptions self;
    self.expectedSigner = world().gatewayFpr;
    StringSink back;
    auto opened = world().receive(sink.bytes(), back, self);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, errc::kNotForUs);
}

TEST_F(EncryptTest, APartnerWhoseKeyWasNeverImportedIsRefused) {
    GpgHome unknown;
    EncryptOptions options;
    options.recipient = unknown.generateKey("Unknown <u@example.test>");
    journal::StringSource source(kAssignment);
    StringSink sink;
    auto sent = world().gateway.keyring().encryptAndSign(source, sink, options);
    ASSERT_FALSE(sent);
    EXPECT_EQ(sent.error().code, errc::kKey);
    EXPECT_NE(sent.error().message.find("import"), std::string::npos);
    EXPECT_TRUE(sink.bytes().empty());
}

/// Pseudo-random bytes (gpg's compression cannot shrink them), generated on
/// the fly so the test itself holds no copy.
class GeneratedSource final : public journal::ByteSource {
public:
    explicit GeneratedSource(std::uint64_t size) : left_(size) {}
    Result<std::size_t> read(char *buffer, std::size_t capacity) override {
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(capacity, left_));
        for (std::size_t i = 0; i < n; ++i) {
            state_ ^= state_ << 13;
            state_ ^= state_ >> 7;
            state_ ^= state_ << 17;
            buffer[i] = static_cast<char>(state_ >> 24);
        }
        hash_.update(std::string_view(buffer, n));
        left_ -= n;
        return n;
    }
    std::string sha256Hex() { return security::toHex(hash_.finish().value()); }

private:
    std::uint64_t left_;
    std::uint64_t state_ = 0x9E3779B97F4A7C15ull;
    security::Sha256 hash_;
};

class FileSink final : public ByteSink {
public:
    explicit FileSink(const fs::path &path) : out_(path, std::ios::binary | std::ios::trunc) {}
    Result<bool> write(std::string_view bytes) override {
        out_.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!out_) return Error{"io", "write failed"};
        return true;
    }

private:
    std::ofstream out_;
};

/// Peak resident memory since the last reset, in bytes.
std::uint64_t peakRss() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
    return 0;
}
void resetPeakRss() {
    std::ofstream("/proc/self/clear_refs") << "5";
}

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

TEST_F(StreamTest, FiftyMegabytesGoOutAndComeBackInBoundedMemory) {
    // LENDGATE_PGP_BENCH_MB resizes it for a throughput note (see README).
    const char *mb = std::getenv("LENDGATE_PGP_BENCH_MB");
    const std::uint64_t kSize = (mb != nullptr ? std::strtoull(mb, nullptr, 10) : 50ull) << 20;
    const auto started = std::chrono::steady_clock::now();
    const fs::path cipherFile = world().gateway.home().file("big.gpg");
    resetPeakRss();
    const std::uint64_t before = peakRss();

    // Out: encrypted to the gateway's own key and signed by it, so the same
    // keyring can read it back.
    GeneratedSource plain(kSize);
    EncryptOptions out;
    out.recipient = world().gatewayFpr;
    EncryptSummary sent;
    {
        FileSink sink(cipherFile);
        auto encrypted = world().gateway.keyring().encryptAndSign(plain, sink, out);
        ASSERT_TRUE(encrypted) << encrypted.error().message;
        sent = encrypted.value();
    }
    EXPECT_EQ(sent.plaintextBytes, kSize);
    EXPECT_GT(fs::file_size(cipherFile), kSize);
    const std::string expected = plain.sha256Hex();
    EXPECT_EQ(sent.plaintextSha256Hex, expected);

    // In: pulled through a DecryptingSource the way intake pulls a dropped file.
    const int fd = ::open(cipherFile.c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    journal::FileSource file(fd);
    DecryptOptions in;
    in.expectedSigner = world().gatewayFpr;
    DecryptingSource source(world().gateway.keyring(), file, in);
    security::Sha256 hash;
    std::uint64_t total = 0;
    std::string buffer(64 * 1024, '\0');
    for (;;) {
        auto n = source.read(buffer.data(), buffer.size());
        ASSERT_TRUE(n) << n.error().code << ": " << n.error().message;
        if (n.value() == 0) break;
        hash.update(std::string_view(buffer.data(), n.value()));
        total += n.value();
    }
    ::close(fd);
    EXPECT_EQ(total, kSize);
    EXPECT_EQ(security::toHex(hash.finish().value()), expected);
    ASSERT_TRUE(source.verified().has_value());
    EXPECT_FALSE(source.failure().has_value());
    EXPECT_EQ(source.verified()->sha256Hex, expected);
    EXPECT_EQ(source.verified()->signerFingerprint, world().gatewayFpr);

    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    std::cout << "[ bench    ] " << (kSize >> 20) << " MiB encrypted+signed then decrypted+verified in " << took.count()
              << " s\n";
    // 50 MB went through twice; the process grew by a small fraction of it.
    // (ASan keeps freed memory in quarantine, so only plain builds measure.)
    const std::uint64_t grew = peakRss() - std::min(before, peakRss());
    if (!kSanitized) {
        EXPECT_LT(grew, 16ull << 20) << "peak RSS grew by " << grew << " bytes";
    }
}

TEST_F(StreamTest, ADecryptingSourceEndsInAnErrorWhenTheSignerIsWrong) {
    const std::string cipher = world().stranger.transform(
        std::string(300000, 'x'),
        {"--local-user", world().strangerFpr, "--recipient", world().gatewayFpr, "--sign", "--encrypt"});
    journal::StringSource file(cipher);
    DecryptingSource source(world().gateway.keyring(), file, world().fromPartner());
    std::string buffer(4096, '\0');
    std::uint64_t read = 0;
    for (;;) {
        auto n = source.read(buffer.data(), buffer.size());
        if (!n) {
            EXPECT_EQ(n.error().code, errc::kWrongSigner);
            break;
        }
        ASSERT_NE(n.value(), 0u) << "the source ended cleanly after " << read << " unverified bytes";
        read += n.value();
    }
    EXPECT_FALSE(source.verified().has_value());
    ASSERT_TRUE(source.failure().has_value());
    EXPECT_EQ(source.failure()->code, errc::kWrongSigner);
}

TEST_F(StreamTest, AReaderThatGivesUpEarlyDoesNotHangOrLeak) {
    const fs::path cipherFile = world().gateway.home().file("early.gpg");
    {
        GeneratedSource plain(8u << 20);
        EncryptOptions out;
        out.recipient = world().gatewayFpr;
        FileSink sink(cipherFile);
        ASSERT_TRUE(world().gateway.keyring().encryptAndSign(plain, sink, out));
    }
    const int fd = ::open(cipherFile.c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    {
        journal::FileSource file(fd);
        DecryptOptions in;
        in.expectedSigner = world().gatewayFpr;
        DecryptingSource source(world().gateway.keyring(), file, in);
        char buffer[1000];
        auto n = source.read(buffer, sizeof buffer);
        ASSERT_TRUE(n);
        EXPECT_GT(n.value(), 0u);
        // Destroyed here with megabytes still to come.
    }
    ::close(fd);
    // A source that is never read starts nothing.
    journal::StringSource nothing("");
    DecryptingSource unused(world().gateway.keyring(), nothing, world().fromPartner());
}

}  // namespace
}  // namespace lendgate::pgp::testing
