#include "core/security/key_ring.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "core/common/strict_json.h"
#include "core/security/encoding.h"
#include "core/security/private_files.h"

namespace lendgate::security {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kFormat = "lendgate-keyring";
constexpr int kFormatVersion = 2;
/// Version 1 kept the keys in the clear; it is read once and rewritten wrapped.
constexpr int kClearFormatVersion = 1;
constexpr std::size_t kMaxFileBytes = 1u << 20;

Error invalid(const fs::path &file, std::string_view problem) {
    return Error{"keyring_invalid", "key ring file " + file.string() + " is invalid: " + std::string(problem)};
}

std::optional<SecretKey> keyFromHex(const nlohmann::json &value) {
    if (!value.is_string()) return std::nullopt;
    auto raw = fromHex(value.get_ref<const std::string &>());
    if (!raw || raw->size() != kKeyBytes) return std::nullopt;
    SecretKey key(
        std::span<const std::uint8_t, kKeyBytes>(reinterpret_cast<const std::uint8_t *>(raw->data()), kKeyBytes));
    wipe(*raw);
    return key;
}

std::string dataKeyLabel(std::uint32_t id) {
    return "data_key/" + std::to_string(id);
}
constexpr std::string_view kTokenKeyLabel = "token_key";

/// The ring file parsed but not yet opened: which master wrapped it.
struct RingFile {
    nlohmann::json doc;
    int version = 0;
    std::string masterId;  // empty for the clear version 1
};

Result<RingFile> readRingFile(const fs::path &file) {
    auto text = readPrivateFile(file, kMaxFileBytes);
    if (!text) return text.error();
    JsonSyntaxError syntax;
    auto parsed = parseStrictJson(text.value(), syntax);
    wipe(text.value());
    if (!parsed) return invalid(file, "not JSON (" + syntax.code + " at byte " + std::to_string(syntax.offset) + ")");
    RingFile ring{std::move(*parsed), 0, {}};
    const auto &doc = ring.doc;
    if (!doc.is_object() || !doc.contains("format") || doc["format"] != kFormat)
        return invalid(file, "/format is not \"lendgate-keyring\"");
    if (!doc.contains("version") || !doc["version"].is_number_integer() ||
        (doc["version"] != kFormatVersion && doc["version"] != kClearFormatVersion)) {
        return invalid(file, "/version is not " + std::to_string(kFormatVersion));
    }
    ring.version = doc["version"].get<int>();
    if (ring.version == kFormatVersion) {
        const auto &master = doc.value("master_key", nlohmann::json());
        if (!master.is_object() || !master.contains("id") || !master["id"].is_string())
            return invalid(file, "/master_key/id is missing");
        ring.masterId = master["id"].get<std::string>();
    }
    return ring;
}

/// Finishes a master rotation a crash interrupted: `master.key.next` is the
/// master when the ring already names it, and a leftover otherwise.
Result<bool> settleMasterRotation(const fs::path &directory, const std::string &ringMasterId) {
    const fs::path next = directory / kNextMasterKeyFileName;
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(next, ec))) return true;
    auto candidate = readMasterKeyFile(next);
    if (!candidate) return candidate.error();
    if (candidate.value().id == ringMasterId) {
        if (::rename(next.c_str(), (directory / kMasterKeyFileName).c_str()) != 0)
            return Error{"keyring_io", "key ring: cannot install " + next.string() + ": " + std::strerror(errno)};
    } else {
        ::unlink(next.c_str());
    }
    return fsyncDirectory(directory);
}

/// The master key for a ring wrapped by `ringMasterId` (empty: any, or a new one).
Result<MasterKey> masterFor(const fs::path &directory, const fs::path &file, const std::string &ringMasterId) {
    auto found = findMasterKey(directory);
    if (!found) return found.error();
    if (!found.value()) {
        if (!ringMasterId.empty()) {
            return Error{"keyring_master", "key ring file " + file.string() + " is wrapped by master key " +
                                               ringMasterId + ", and there is no master key: set " + kMasterKeyEnv +
                                               " or restore " + (directory / kMasterKeyFileName).string()};
        }
        return writeNewMasterKeyFile(directory / kMasterKeyFileName, true);
    }
    auto master = std::move(*found.value());
    if (!ringMasterId.empty() && master.id != ringMasterId) {
        return Error{"keyring_master", "key ring file " + file.string() + " is wrapped by master key " + ringMasterId +
                                           ", but the master key from " + master.source + " is " + master.id +
                                           ": supply the master key the ring was wrapped with"};
    }
    return master;
}

}  // namespace

struct KeyRingFileParser {
    static Result<KeyRing::Contents> parse(const fs::path &file, const RingFile &ring, const MasterKey &master) {
        try {
            return parseUnguarded(file, ring, master);
        } catch (const nlohmann::json::exception &) {
            // nlohmann's own text quotes values, and these values are keys.
            return invalid(file, "a member has the wrong JSON type");
        }
    }
    static Result<KeyRing::Contents> parseUnguarded(const fs::path &file, const RingFile &ring,
                                                    const MasterKey &master);
};

KeyRing::KeyRing(fs::path directory, const Clock &clock, Contents contents, MasterKey master)
    : directory_(std::move(directory)),
      file_(directory_ / kKeyRingFileName),
      clock_(clock),
      tokenKey_(contents.tokenKey),
      tokenCreatedAtMs_(contents.tokenCreatedAtMs),
      master_(std::move(master)),
      dataKeys_(std::move(contents.dataKeys)),
      current_(contents.current) {
    stamp_ = fileStamp();
}

std::string KeyRing::fileStamp() const {
    struct stat st {};
    if (::stat(file_.c_str(), &st) != 0) return {};
    return std::to_string(st.st_ino) + ":" + std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) +
           "." + std::to_string(st.st_mtim.tv_nsec);
}

Result<bool> KeyRing::reloadIfChanged() {
    {
        std::shared_lock lock(mutex_);
        if (fileStamp() == stamp_) return false;
    }
    auto reloaded = reload();
    if (!reloaded) return reloaded.error();
    return true;
}

KeyRing::~KeyRing() = default;

Result<std::unique_ptr<KeyRing>> KeyRing::open(const fs::path &directory, const Clock &clock) {
    if (directory.empty()) return Error{"keyring_invalid", "key ring directory is not configured"};
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(directory, ec))) {
        if (auto made = createPrivateDirectory(directory); !made) return made.error();
    }
    if (auto ok = checkPrivateDirectory(directory); !ok) return ok.error();

    const fs::path file = directory / kKeyRingFileName;
    if (!fs::exists(fs::symlink_status(file, ec))) {
        auto master = masterFor(directory, file, {});
        if (!master) return master.error();
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
        if (auto stored = store(file, fresh, master.value(), true); !stored) return stored.error();
    }
    auto ring = readRingFile(file);
    if (!ring) return ring.error();
    if (auto settled = settleMasterRotation(directory, ring.value().masterId); !settled) return settled.error();
    auto master = masterFor(directory, file, ring.value().masterId);
    if (!master) return master.error();
    auto contents = KeyRingFileParser::parse(file, ring.value(), master.value());
    if (!contents) return contents.error();
    if (ring.value().version == kClearFormatVersion) {
        if (auto stored = store(file, contents.value(), master.value(), false); !stored) return stored.error();
    }
    return std::unique_ptr<KeyRing>(
        new KeyRing(directory, clock, std::move(contents.value()), std::move(master.value())));
}

Result<KeyRing::Contents> KeyRingFileParser::parseUnguarded(const fs::path &file, const RingFile &ring,
                                                            const MasterKey &master) {
    const auto &doc = ring.doc;
    const bool wrapped = ring.version == kFormatVersion;
    // Version 2 keeps each key wrapped under "wrapped"; version 1 kept it clear under "key".
    auto keyAt = [&](const nlohmann::json &entry, const std::string &label,
                     const std::string &pointer) -> Result<SecretKey> {
        if (!wrapped) {
            auto key = keyFromHex(entry.value("key", nlohmann::json()));
            if (!key) return invalid(file, pointer + "/key must be 64 hexadecimal digits");
            return *key;
        }
        const auto &text = entry.value("wrapped", nlohmann::json());
        if (!text.is_string()) return invalid(file, pointer + "/wrapped is missing");
        auto key = unwrapKey(master, text.get_ref<const std::string &>(), label);
        if (!key) return Error{key.error().code, "key ring file " + file.string() + ": " + key.error().message};
        return key;
    };

    KeyRing::Contents out;
    const auto &token = doc.value("token_key", nlohmann::json());
    if (!token.is_object()) return invalid(file, "/token_key is missing");
    auto tokenKey = keyAt(token, std::string(kTokenKeyLabel), "/token_key");
    if (!tokenKey) return tokenKey.error();
    out.tokenKey = tokenKey.value();
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
        const auto id = static_cast<std::uint32_t>(entry["id"].get<std::uint64_t>());
        auto key = keyAt(entry, dataKeyLabel(id), at);
        if (!key) return key.error();
        if (!out.dataKeys.emplace(id, KeyRing::DataKey{key.value(), entry.value("created_at_ms", std::int64_t{0})})
                 .second) {
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

Result<bool> KeyRing::store(const fs::path &file, const Contents &contents, const MasterKey &master, bool createOnly) {
    auto token = wrapKey(master, contents.tokenKey, kTokenKeyLabel);
    if (!token) return token.error();
    nlohmann::json doc = {{"format", kFormat},
                          {"version", kFormatVersion},
                          {"master_key", {{"id", master.id}}},
                          {"token_key", {{"created_at_ms", contents.tokenCreatedAtMs}, {"wrapped", token.value()}}},
                          {"data_keys", nlohmann::json::array()},
                          {"current_data_key", contents.current}};
    for (const auto &[id, key] : contents.dataKeys) {
        auto wrapped = wrapKey(master, key.key, dataKeyLabel(id));
        if (!wrapped) return wrapped.error();
        doc["data_keys"].push_back({{"id", id}, {"created_at_ms", key.createdAtMs}, {"wrapped", wrapped.value()}});
    }
    auto written = writePrivateFile(file, doc.dump(2) + "\n", createOnly);
    if (!written) return written.error();
    return true;
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

std::vector<KeyRing::DataKeyInfo> KeyRing::dataKeyInfo() const {
    std::shared_lock lock(mutex_);
    std::vector<DataKeyInfo> out;
    for (const auto &[id, key] : dataKeys_) out.push_back(DataKeyInfo{id, key.createdAtMs, id == current_});
    return out;
}

KeyRing::MasterInfo KeyRing::masterInfo() const {
    std::shared_lock lock(mutex_);
    return MasterInfo{master_.id, master_.source, master_.fromEnvironment};
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
    if (auto stored = store(file_, next, master_, false); !stored) return stored.error();
    dataKeys_ = std::move(next.dataKeys);
    current_ = id;
    stamp_ = fileStamp();
    return id;
}

Result<std::string> KeyRing::rotateMasterKey(std::optional<MasterKey> next) {
    std::unique_lock lock(mutex_);
    if (master_.fromEnvironment && !next) {
        return Error{"keyring_master", "the master key comes from " + master_.source +
                                           ", not from this ring: put the new one in " + kNewMasterKeyEnv +
                                           " to rotate it"};
    }
    const fs::path nextFile = directory_ / kNextMasterKeyFileName;
    if (!next) {
        // Durable before the ring names it: a crash at any point leaves a
        // master that opens the ring (settleMasterRotation finishes the job).
        auto made = writeNewMasterKeyFile(nextFile, false);
        if (!made) return made.error();
        next = std::move(made.value());
    }
    if (next->id == master_.id) return Error{"keyring_master", "the new master key is the current one"};
    if (auto stored = store(file_, snapshot(), *next, false); !stored) return stored.error();
    if (!next->fromEnvironment) {
        if (::rename(nextFile.c_str(), (directory_ / kMasterKeyFileName).c_str()) != 0)
            return Error{"keyring_io", "key ring: cannot install " + nextFile.string() + ": " + std::strerror(errno)};
        if (auto synced = fsyncDirectory(directory_); !synced) return synced.error();
        next->source = (directory_ / kMasterKeyFileName).string();
    }
    master_ = std::move(*next);
    stamp_ = fileStamp();
    return master_.id;
}

Result<bool> KeyRing::reload() {
    const std::string stamp = fileStamp();
    auto ring = readRingFile(file_);
    if (!ring) return ring.error();
    // The CLI may have rotated the master since: find it again.
    auto master = masterFor(directory_, file_, ring.value().masterId);
    if (!master) return master.error();
    auto contents = KeyRingFileParser::parse(file_, ring.value(), master.value());
    if (!contents) return contents.error();
    if (!constantTimeEqual(
            std::string_view(reinterpret_cast<const char *>(contents.value().tokenKey.data()), kKeyBytes),
            std::string_view(reinterpret_cast<const char *>(tokenKey_.data()), kKeyBytes))) {
        return Error{"keyring_invalid", "key ring file " + file_.string() +
                                            " now holds a different token key; account tokens and case keys would "
                                            "change, so it is refused (restore the original file)"};
    }
    std::unique_lock lock(mutex_);
    master_ = std::move(master.value());
    dataKeys_ = std::move(contents.value().dataKeys);
    current_ = contents.value().current;
    stamp_ = stamp;
    return true;
}

}  // namespace lendgate::security
