#include "core/security/key_ring.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>
#include <openssl/crypto.h>

#include "core/common/strict_json.h"
#include "core/security/encoding.h"

namespace lendgate::security {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kFormat = "lendgate-keyring";
constexpr int kFormatVersion = 1;
constexpr std::size_t kMaxFileBytes = 1u << 20;

/// Closes a file descriptor on every path out of a function.
class Fd {
public:
    explicit Fd(int fd) noexcept : fd_(fd) {}
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const noexcept { return fd_; }
    int release() noexcept { return std::exchange(fd_, -1); }

private:
    int fd_;
};

std::string modeText(mode_t mode) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

Error ioError(const fs::path &path, std::string_view action, int err) {
    return Error{"keyring_io", "key ring: cannot " + std::string(action) + " " + path.string() + ": " +
                                   std::strerror(err)};
}

/// The ring must be private to the gateway's user: no group or other access,
/// not a symbolic link (open() used O_NOFOLLOW), owned by the effective user.
Result<bool> checkPrivate(int fd, const fs::path &path, bool directory) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) return ioError(path, "inspect", errno);
    const char *what = directory ? "key ring directory " : "key ring file ";
    if (directory ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)) {
        return Error{"keyring_permissions",
                     what + path.string() + (directory ? " is not a directory" : " is not a regular file")};
    }
    if (st.st_uid != ::geteuid()) {
        return Error{"keyring_permissions", what + path.string() + " is owned by uid " + std::to_string(st.st_uid) +
                                                ", not by the gateway's user (uid " + std::to_string(::geteuid()) +
                                                ")"};
    }
    if ((st.st_mode & 077) != 0) {
        const std::string wanted = directory ? "0700" : "0600";
        return Error{"keyring_permissions", what + path.string() + " has mode " + modeText(st.st_mode) +
                                                "; it must be " + wanted +
                                                " (no access for group or others): chmod " + wanted.substr(1) + " " +
                                                path.string()};
    }
    return true;
}

Result<bool> openPrivateDirectory(const fs::path &dir) {
    Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (fd.get() < 0) {
        if (errno == ELOOP || errno == ENOTDIR) {
            return Error{"keyring_permissions",
                         "key ring directory " + dir.string() + " is a symbolic link or not a directory"};
        }
        return ioError(dir, "open", errno);
    }
    return checkPrivate(fd.get(), dir, true);
}

Result<bool> fsyncDirectory(const fs::path &dir) {
    Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0 || ::fsync(fd.get()) != 0) return ioError(dir, "sync", errno);
    return true;
}

Result<bool> createPrivateDirectory(const fs::path &dir) {
    std::error_code ec;
    const fs::path parent = dir.parent_path();
    if (!parent.empty()) fs::create_directories(parent, ec);
    if (ec) return ioError(parent, "create", ec.value());
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return ioError(dir, "create", errno);
    if (!parent.empty()) return fsyncDirectory(parent);
    return true;
}

Result<std::string> readPrivateFile(const fs::path &file) {
    Fd fd(::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (fd.get() < 0) {
        if (errno == ELOOP) return Error{"keyring_permissions", "key ring file " + file.string() + " is a symbolic link"};
        return ioError(file, "open", errno);
    }
    if (auto ok = checkPrivate(fd.get(), file, false); !ok) return ok.error();
    std::string text;
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return ioError(file, "read", errno);
        if (n == 0) break;
        text.append(buffer, static_cast<std::size_t>(n));
        if (text.size() > kMaxFileBytes) return Error{"keyring_invalid", "key ring file " + file.string() + " is too large"};
    }
    OPENSSL_cleanse(buffer, sizeof buffer);
    return text;
}

Result<bool> writeAll(int fd, std::string_view data, const fs::path &path) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return ioError(path, "write", errno);
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

Error invalid(const fs::path &file, std::string_view problem) {
    return Error{"keyring_invalid", "key ring file " + file.string() + " is invalid: " + std::string(problem)};
}

std::optional<SecretKey> keyFromHex(const nlohmann::json &value) {
    if (!value.is_string()) return std::nullopt;
    auto raw = fromHex(value.get_ref<const std::string &>());
    if (!raw || raw->size() != kKeyBytes) return std::nullopt;
    SecretKey key(std::span<const std::uint8_t, kKeyBytes>(reinterpret_cast<const std::uint8_t *>(raw->data()), kKeyBytes));
    wipe(*raw);
    return key;
}

}  // namespace

struct KeyRingFileParser {
    static Result<KeyRing::Contents> parse(const fs::path &file, const nlohmann::json &doc);
};

KeyRing::KeyRing(fs::path directory, const Clock &clock, Contents contents)
    : directory_(std::move(directory)),
      file_(directory_ / kKeyRingFileName),
      clock_(clock),
      tokenKey_(contents.tokenKey),
      tokenCreatedAtMs_(contents.tokenCreatedAtMs),
      dataKeys_(std::move(contents.dataKeys)),
      current_(contents.current) {}

Result<std::unique_ptr<KeyRing>> KeyRing::open(const fs::path &directory, const Clock &clock) {
    if (directory.empty()) return Error{"keyring_invalid", "key ring directory is not configured"};
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(directory, ec))) {
        if (auto made = createPrivateDirectory(directory); !made) return made.error();
    }
    if (auto ok = openPrivateDirectory(directory); !ok) return ok.error();

    const fs::path file = directory / kKeyRingFileName;
    if (!fs::exists(fs::symlink_status(file, ec))) {
        Contents fresh;
        auto token = SecretKey::random();
        auto data = SecretKey::random();
        if (!token) return token.error();
        if (!data) return data.error();
        fresh.tokenKey = token.value();
        fresh.tokenCreatedAtMs = clock.nowUnixMs();
        fresh.dataKeys.emplace(1, DataKey{data.value(), fresh.tokenCreatedAtMs});
        fresh.current = 1;
        // createOnly: if another process created the ring first, its file
        // wins and is loaded below, so both processes share one token key.
        if (auto stored = store(directory, fresh, true); !stored) return stored.error();
    }
    auto contents = load(file);
    if (!contents) return contents.error();
    return std::unique_ptr<KeyRing>(new KeyRing(directory, clock, std::move(contents.value())));
}

Result<KeyRing::Contents> KeyRing::load(const fs::path &file) {
    auto text = readPrivateFile(file);
    if (!text) return text.error();
    JsonSyntaxError syntax;
    auto parsed = parseStrictJson(text.value(), syntax);
    wipe(text.value());
    if (!parsed) return invalid(file, "not JSON (" + syntax.code + " at byte " + std::to_string(syntax.offset) + ")");
    try {
        return KeyRingFileParser::parse(file, *parsed);
    } catch (const nlohmann::json::exception &) {
        // nlohmann's own text quotes values, and these values are keys.
        return invalid(file, "a member has the wrong JSON type");
    }
}

Result<KeyRing::Contents> KeyRingFileParser::parse(const fs::path &file, const nlohmann::json &doc) {
    if (!doc.is_object() || doc.value("format", "") != kFormat) return invalid(file, "/format is not \"lendgate-keyring\"");
    if (!doc.contains("version") || doc["version"] != kFormatVersion) {
        return invalid(file, "/version is not " + std::to_string(kFormatVersion));
    }
    KeyRing::Contents out;
    const auto &token = doc.value("token_key", nlohmann::json());
    auto tokenKey = token.is_object() ? keyFromHex(token.value("key", nlohmann::json())) : std::nullopt;
    if (!tokenKey) return invalid(file, "/token_key/key must be 64 hexadecimal digits");
    out.tokenKey = *tokenKey;
    out.tokenCreatedAtMs = token.value("created_at_ms", std::int64_t{0});

    const auto &keys = doc.value("data_keys", nlohmann::json());
    if (!keys.is_array() || keys.empty()) return invalid(file, "/data_keys must be a non-empty array");
    for (std::size_t i = 0; i < keys.size(); ++i) {
        const auto &entry = keys[i];
        const std::string at = "/data_keys/" + std::to_string(i);
        if (!entry.is_object() || !entry.contains("id") || !entry["id"].is_number_unsigned() ||
            entry["id"].get<std::uint64_t>() == 0 ||
            entry["id"].get<std::uint64_t>() > std::numeric_limits<std::uint32_t>::max()) {
            return invalid(file, at + "/id must be an integer from 1 to 4294967295");
        }
        auto key = keyFromHex(entry.value("key", nlohmann::json()));
        if (!key) return invalid(file, at + "/key must be 64 hexadecimal digits");
        const auto id = static_cast<std::uint32_t>(entry["id"].get<std::uint64_t>());
        if (!out.dataKeys.emplace(id, KeyRing::DataKey{*key, entry.value("created_at_ms", std::int64_t{0})}).second) {
            return invalid(file, at + "/id repeats an earlier key's id");
        }
    }
    const auto &current = doc.value("current_data_key", nlohmann::json());
    if (!current.is_number_unsigned() || current.get<std::uint64_t>() > std::numeric_limits<std::uint32_t>::max() ||
        out.dataKeys.count(static_cast<std::uint32_t>(current.get<std::uint64_t>())) == 0) {
        return invalid(file, "/current_data_key must be the id of one of /data_keys");
    }
    out.current = static_cast<std::uint32_t>(current.get<std::uint64_t>());
    return out;
}

Result<bool> KeyRing::store(const fs::path &directory, const Contents &contents, bool createOnly) {
    nlohmann::json doc = {{"format", kFormat},
                          {"version", kFormatVersion},
                          {"token_key", {{"created_at_ms", contents.tokenCreatedAtMs},
                                         {"key", toHex(contents.tokenKey.bytes())}}},
                          {"data_keys", nlohmann::json::array()},
                          {"current_data_key", contents.current}};
    for (const auto &[id, key] : contents.dataKeys) {
        doc["data_keys"].push_back({{"id", id}, {"created_at_ms", key.createdAtMs}, {"key", toHex(key.key.bytes())}});
    }
    std::string text = doc.dump(2) + "\n";

    std::array<std::uint8_t, 8> nonce{};
    if (auto ok = randomBytes(nonce); !ok) return ok.error();
    const fs::path file = directory / kKeyRingFileName;
    const fs::path temp = directory / ("." + std::string(kKeyRingFileName) + "." + toHex(nonce) + ".tmp");
    Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (fd.get() < 0) {
        wipe(text);
        return ioError(temp, "create", errno);
    }
    auto written = writeAll(fd.get(), text, temp);
    wipe(text);
    Result<bool> outcome = written;
    if (outcome && (::fchmod(fd.get(), 0600) != 0 || ::fsync(fd.get()) != 0)) outcome = ioError(temp, "sync", errno);
    if (outcome && ::close(fd.release()) != 0) outcome = ioError(temp, "close", errno);
    if (outcome) {
        // link() fails if the name exists, so creation never replaces a ring
        // another process just made; rotation replaces on purpose.
        const int rc = createOnly ? ::link(temp.c_str(), file.c_str()) : ::rename(temp.c_str(), file.c_str());
        if (rc != 0 && !(createOnly && errno == EEXIST)) outcome = ioError(file, "install", errno);
    }
    ::unlink(temp.c_str());  // after rename this is a no-op; after link it drops the extra name
    if (!outcome) return outcome;
    return fsyncDirectory(directory);
}

KeyRing::Contents KeyRing::snapshot() const {
    Contents out;
    out.tokenKey = tokenKey_;
    out.tokenCreatedAtMs = tokenCreatedAtMs_;
    out.dataKeys = dataKeys_;
    out.current = current_;
    return out;
}

std::pair<std::uint32_t, SecretKey> KeyRing::currentDataKey() const {
    std::shared_lock lock(mutex_);
    return {current_, dataKeys_.at(current_).key};
}

std::uint32_t KeyRing::currentDataKeyId() const {
    std::shared_lock lock(mutex_);
    return current_;
}

std::optional<SecretKey> KeyRing::dataKey(std::uint32_t id) const {
    std::shared_lock lock(mutex_);
    auto it = dataKeys_.find(id);
    if (it == dataKeys_.end()) return std::nullopt;
    return it->second.key;
}

std::vector<std::uint32_t> KeyRing::dataKeyIds() const {
    std::shared_lock lock(mutex_);
    std::vector<std::uint32_t> ids;
    for (const auto &entry : dataKeys_) ids.push_back(entry.first);
    return ids;
}

Result<std::uint32_t> KeyRing::rotateDataKey() {
    std::unique_lock lock(mutex_);
    Contents next = snapshot();
    const std::uint32_t id = next.dataKeys.rbegin()->first + 1;
    if (id == 0) return Error{"keyring_invalid", "key ring " + file_.string() + " has no data key ids left"};
    auto key = SecretKey::random();
    if (!key) return key.error();
    next.dataKeys.emplace(id, DataKey{key.value(), clock_.nowUnixMs()});
    next.current = id;
    // The file is durable before the key seals anything, so nothing can be
    // sealed with a key that a crash would forget.
    if (auto stored = store(directory_, next, false); !stored) return stored.error();
    dataKeys_ = std::move(next.dataKeys);
    current_ = id;
    return id;
}

Result<bool> KeyRing::reload() {
    auto contents = load(file_);
    if (!contents) return contents.error();
    if (!constantTimeEqual(std::string_view(reinterpret_cast<const char *>(contents.value().tokenKey.data()), kKeyBytes),
                           std::string_view(reinterpret_cast<const char *>(tokenKey_.data()), kKeyBytes))) {
        return Error{"keyring_invalid", "key ring file " + file_.string() +
                                            " now holds a different token key; account tokens and case keys would "
                                            "change, so it is refused (restore the original file)"};
    }
    std::unique_lock lock(mutex_);
    dataKeys_ = std::move(contents.value().dataKeys);
    current_ = contents.value().current;
    return true;
}

}  // namespace lendgate::security
