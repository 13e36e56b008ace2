// One partner file: who the partner is, which formats it speaks, and whether
// its role allows the message types it is set up to send and receive.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "config_internal.h"
#include "config_schemas.h"
#include "core/common/strict_json.h"
#include "core/model/calendar.h"
#include "core/referral/hsds_directory.h"

namespace lendgate::config {

namespace {

std::string pointerTo(std::initializer_list<std::string_view> tokens) {
    std::string pointer;
    for (std::string_view token : tokens) appendPointerToken(pointer, token);
    return pointer;
}

template <class T>
T valueOr(const nlohmann::json &object, const char *key, T fallback) {
    auto it = object.find(key);
    return it == object.end() ? fallback : it->get<T>();
}

// Only the daemon, holding the key ring, opens a sealed secret, and only
// signing secrets are looked up that way: an SSH key is read by libssh2.
bool refuseSealed(const SecretRef &secret, const std::string &pointer, ProblemSink &sink) {
    if (secret.kind != SecretRef::Kind::Sealed) return false;
    sink.error(pointer,
               "only signing secrets (credentials/request_signing, an endpoint's signing_secret) "
               "take a sealed secret");
    return true;
}

// "expires_at" as Unix seconds; nullopt (with an error) when malformed.
std::optional<std::int64_t> readExpiry(const nlohmann::json &object, const std::string &pointer, ProblemSink &sink) {
    auto text = object.find("expires_at");
    if (text == object.end()) return std::nullopt;
    auto instant = model::Timestamp::parse(text->get<std::string>());
    if (!instant) {
        sink.error(pointer + "/expires_at", "must be an RFC 3339 date-time with an offset, e.g. 2026-03-01T00:00:00Z");
        return std::nullopt;
    }
    return instant->unixSeconds();
}

// A list of secrets being rotated out ("previous", "signing_secret_previous").
std::vector<RetiringSecret> readRetiringSecrets(const nlohmann::json &list, const std::string &pointer,
                                                const fs::path &base, ProblemSink &sink) {
    std::vector<RetiringSecret> out;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto &p = list[i];
        const std::string at = pointer + "/" + std::to_string(i);
        RetiringSecret retiring{readSecret(p.at("secret"), base), readExpiry(p, at, sink).value_or(0)};
        checkSecretAvailable(retiring.secret, at + "/secret", sink);
        out.push_back(std::move(retiring));
    }
    return out;
}

// Checks one format binding: the plugin loads, handles the type in the right
// direction, and accepts its configuration.
std::optional<FormatBinding> readFormat(const nlohmann::json &format, model::MessageType type, bool inbound,
                                        const std::string &pointer, const fs::path &base, PluginCache &plugins,
                                        ProblemSink &sink) {
    FormatBinding binding;
    binding.type = type;
    binding.plugin = format.at("plugin").get<std::string>();
    fs::path config(format.at("plugin_config").get<std::string>());
    binding.pluginConfig = (config.is_absolute() ? config : base / config).lexically_normal();
    if (auto pattern = format.find("file_pattern"); pattern != format.end())
        binding.filePattern = pattern->get<std::string>();

    std::string why;
    auto library = plugins.get(binding.plugin, why);
    if (!library) {
        sink.error(pointer + "/plugin", why);
        return std::nullopt;
    }
    const auto &formats = inbound ? library->info().decodes : library->info().encodes;
    const std::string typeName(model::toString(type));
    bool handles = std::any_of(formats.begin(), formats.end(), [&](const plugin::Format &f) {
        return f.messageType == typeName || f.messageType == "*";
    });
    if (!handles) {
        sink.error(pointer + "/plugin",
                   "plugin " + binding.plugin + " does not " + (inbound ? "decode " : "encode ") + typeName);
        return std::nullopt;
    }
    std::ifstream in(binding.pluginConfig, std::ios::binary);
    if (!in) {
        sink.error(pointer + "/plugin_config", "file not found: " + binding.pluginConfig.string());
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    auto valid = library->validateConfig(text.str(), binding.pluginConfig.string());
    if (!valid) {
        sink.error(pointer + "/plugin_config", valid.error().message);
        return std::nullopt;
    }
    return binding;
}

void readFormats(const nlohmann::json &doc, bool inbound, Partner &partner, const fs::path &base, PluginCache &plugins,
                 ProblemSink &sink) {
    const char *key = inbound ? "inbound" : "outbound";
    auto section = doc.find(key);
    if (section == doc.end()) return;
    for (auto it = section->begin(); it != section->end(); ++it) {
        const std::string pointer = pointerTo({key, it.key()});
        auto type = model::messageTypeFromString(it.key());  // the schema already limits the names
        if (!type) continue;
        bool allowed = inbound ? model::maySend(partner.role, *type) : model::mayReceive(partner.role, *type);
        if (!allowed) {
            sink.error(pointer, std::string("a ") + std::string(model::toString(partner.role)) + " may not " +
                                    (inbound ? "send " : "receive ") + it.key());
            continue;
        }
        if (auto binding = readFormat(it.value(), *type, inbound, pointer, base, plugins, sink))
            (inbound ? partner.inbound : partner.outbound).push_back(std::move(*binding));
    }
}

InboundChannel::Type channelType(const std::string &name) {
    if (name == "sftp_drop") return InboundChannel::Type::SftpDrop;
    if (name == "sftp_pull") return InboundChannel::Type::SftpPull;
    if (name == "directory") return InboundChannel::Type::Directory;
    return InboundChannel::Type::Http;
}

Endpoint::Type endpointType(const std::string &name) {
    if (name == "directory") return Endpoint::Type::Directory;
    if (name == "pull") return Endpoint::Type::Pull;
    if (name == "sftp_push") return Endpoint::Type::SftpPush;
    return Endpoint::Type::Webhook;
}

// The keys an sftp_pull channel and an sftp_push endpoint share. Both need
// a host, a user, a key and the pinned host key; relative files are beside
// the partner file.
std::optional<SftpRemote> readSftpRemote(const nlohmann::json &object, const std::string &pointer, const fs::path &base,
                                         ProblemSink &sink) {
    bool complete = true;
    for (const char *key : {"host", "user", "private_key", "known_hosts", "remote_folder"})
        if (!object.contains(key)) {
            sink.error(pointer, std::string("an sftp connection needs \"") + key + "\"");
            complete = false;
        }
    if (!complete) return std::nullopt;
    SftpRemote remote;
    remote.host = object.at("host").get<std::string>();
    remote.port = valueOr<std::uint16_t>(object, "port", 22);
    remote.user = object.at("user").get<std::string>();
    remote.privateKey = readSecret(object.at("private_key"), base);
    if (!refuseSealed(remote.privateKey, pointer + "/private_key", sink))
        checkSecretAvailable(remote.privateKey, pointer + "/private_key", sink);
    fs::path knownHosts(object.at("known_hosts").get<std::string>());
    remote.knownHosts = (knownHosts.is_absolute() ? knownHosts : base / knownHosts).lexically_normal();
    std::error_code ec;
    if (!fs::is_regular_file(remote.knownHosts, ec))
        sink.warning(pointer + "/known_hosts", "file not found: " + remote.knownHosts.string() +
                                                   " (connections are refused until it pins the server's key)");
    remote.folder = object.at("remote_folder").get<std::string>();
    if (auto t = object.find("timeout_ms"); t != object.end()) remote.timeoutMs = t->get<std::uint32_t>();
    return remote;
}

std::optional<BatchSettings> readBatch(const nlohmann::json &b, const Endpoint &endpoint, const Partner &partner,
                                       const std::string &pointer, ProblemSink &sink) {
    if (endpoint.type != Endpoint::Type::Directory && endpoint.type != Endpoint::Type::SftpPush) {
        sink.error(pointer, "only a directory or sftp_push endpoint sends batch files");
        return std::nullopt;
    }
    BatchSettings batch;
    batch.windowSeconds = valueOr<std::uint32_t>(b, "window_seconds", 0);
    batch.maxRecords = valueOr<std::uint32_t>(b, "max_records", 0);
    batch.fileName = b.at("file_name").get<std::string>();
    if (batch.windowSeconds == 0 && batch.maxRecords == 0) {
        sink.error(pointer, "needs window_seconds, max_records or both: when is a file complete?");
        return std::nullopt;
    }
    if (batch.windowSeconds == 0)
        sink.warning(pointer + "/max_records",
                     "without window_seconds a record waits until max_records records have gathered");
    // Batched types are those the endpoint carries and a plugin renders (a
    // type without a format goes out alone, as canonical JSON).
    const std::size_t types = endpoint.messageTypes.empty() ? partner.outbound.size() : endpoint.messageTypes.size();
    if (std::string why = checkBatchFileName(batch.fileName, types > 1); !why.empty()) {
        sink.error(pointer + "/file_name", why);
        return std::nullopt;
    }
    return batch;
}

void readEndpoints(const nlohmann::json &doc, Partner &partner, const fs::path &base, ProblemSink &sink) {
    auto endpoints = doc.find("endpoints");
    if (endpoints == doc.end()) return;
    std::set<std::string> ids;
    for (std::size_t i = 0; i < endpoints->size(); ++i) {
        const nlohmann::json &e = (*endpoints)[i];
        const std::string pointer = pointerTo({"endpoints", std::to_string(i)});
        Endpoint endpoint;
        endpoint.id = e.at("id").get<std::string>();
        endpoint.type = endpointType(e.at("type").get<std::string>());
        if (!ids.insert(endpoint.id).second) sink.error(pointer + "/id", "endpoint id is used twice");
        if (endpoint.type == Endpoint::Type::Webhook) {
            if (!e.contains("url"))
                sink.error(pointer, "a webhook endpoint needs a url");
            else
                endpoint.url = e.at("url").get<std::string>();
            if (endpoint.url.rfind("http://", 0) == 0 && endpoint.url.find("://127.0.0.1") == std::string::npos &&
                endpoint.url.find("://localhost") == std::string::npos &&
                endpoint.url.find("://[::1]") == std::string::npos)
                sink.warning(pointer + "/url", "plain http outside loopback sends personal data unencrypted");
        }
        const bool sftpPush = endpoint.type == Endpoint::Type::SftpPush;
        for (const char *key : {"host", "port", "user", "private_key", "known_hosts", "remote_folder", "file_name"})
            if (!sftpPush && e.contains(key)) sink.error(pointer + "/" + key, "only an sftp_push endpoint takes this");
        if (sftpPush) {
            if (e.contains("path"))
                sink.error(pointer + "/path", "an sftp_push endpoint names its folder with \"remote_folder\"");
            if (auto remote = readSftpRemote(e, pointer, base, sink)) {
                endpoint.remote = std::move(remote);
                if (auto t = e.find("timeout_ms"); t != e.end()) endpoint.remote->timeoutMs = t->get<std::uint32_t>();
            }
            endpoint.fileName = valueOr<std::string>(e, "file_name", endpoint.fileName);
            if (e.contains("batch") && e.contains("file_name"))
                sink.error(pointer + "/file_name", "a batching endpoint names its files with batch/file_name");
            else if (!e.contains("batch") && endpoint.fileName.find("{message_id}") == std::string::npos)
                sink.error(pointer + "/file_name",
                           "must contain {message_id}: two messages must never get the same remote name");
        }
        if (endpoint.type == Endpoint::Type::Directory) {
            if (!e.contains("path"))
                sink.error(pointer, "a directory endpoint needs a path");
            else
                endpoint.path = (base / e.at("path").get<std::string>()).lexically_normal();
        }
        if (auto t = e.find("timeout_ms"); t != e.end()) endpoint.timeoutMs = t->get<std::uint32_t>();
        if (auto s = e.find("signing_secret"); s != e.end()) {
            endpoint.signingSecret = readSecret(*s, base);
            checkSecretAvailable(*endpoint.signingSecret, pointer + "/signing_secret", sink);
        } else if (endpoint.type == Endpoint::Type::Webhook) {
            sink.error(pointer, "a webhook endpoint needs a signing_secret (receivers must be able to verify us)");
        }
        if (auto previous = e.find("signing_secret_previous"); previous != e.end()) {
            if (endpoint.type != Endpoint::Type::Webhook)
                sink.error(pointer + "/signing_secret_previous", "only a webhook endpoint signs what it sends");
            endpoint.previousSigningSecrets =
                readRetiringSecrets(*previous, pointer + "/signing_secret_previous", base, sink);
        }
        if (auto types = e.find("message_types"); types != e.end()) {
            for (std::size_t k = 0; k < types->size(); ++k) {
                auto type = model::messageTypeFromString((*types)[k].get<std::string>());
                if (!type) continue;
                if (!partner.outboundFormat(*type))
                    sink.error(pointer + "/message_types/" + std::to_string(k),
                               "the partner has no outbound format for this type");
                endpoint.messageTypes.push_back(*type);
            }
        }
        if (auto batch = e.find("batch"); batch != e.end())
            endpoint.batch = readBatch(*batch, endpoint, partner, pointer + "/batch", sink);
        partner.endpoints.push_back(std::move(endpoint));
    }
    if (doc.contains("outbound") && partner.endpoints.empty())
        sink.error("/endpoints", "the partner receives messages but has no endpoint to receive them at");
}

// Upper-case hex without spaces, or "" unless 40 hex digits. pgp.h has the
// same rule (normalizeFingerprint); the config library stays free of GPGME.
std::string normalizedFingerprint(const std::string &text) {
    std::string out;
    for (char c : text) {
        if (c == ' ') continue;
        if (!std::isxdigit(static_cast<unsigned char>(c))) return {};
        out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
    return out.size() == 40 ? out : std::string();
}

void readOpenPgp(const nlohmann::json &doc, Partner &partner, const fs::path &base, ProblemSink &sink) {
    auto section = doc.find("openpgp");
    if (section == doc.end()) return;
    OpenPgpSettings settings;
    fs::path key(section->at("partner_key").get<std::string>());
    settings.partnerKey = (key.is_absolute() ? key : base / key).lexically_normal();
    std::error_code ec;
    if (!fs::is_regular_file(settings.partnerKey, ec))
        sink.error("/openpgp/partner_key", "file not found: " + settings.partnerKey.string());
    settings.partnerFingerprint = normalizedFingerprint(section->at("partner_fingerprint").get<std::string>());
    if (settings.partnerFingerprint.empty())
        sink.error("/openpgp/partner_fingerprint", "must be the key's 40 hex digits (spaces allowed)");
    settings.decryptInbound = valueOr<bool>(*section, "decrypt_inbound", true);
    settings.requireSignature = valueOr<bool>(*section, "require_signature", true);
    settings.encryptOutbound = valueOr<bool>(*section, "encrypt_outbound", true);
    settings.armor = valueOr<bool>(*section, "armor", false);
    if (!settings.decryptInbound && section->contains("require_signature") && settings.requireSignature)
        sink.warning("/openpgp/require_signature", "has no effect while decrypt_inbound is false");
    // Encryption happens when a message is rendered, whatever carries it.
    for (const auto &endpoint : partner.endpoints)
        if (settings.encryptOutbound &&
            (endpoint.type == Endpoint::Type::Webhook || endpoint.type == Endpoint::Type::Pull))
            sink.warning("/openpgp/encrypt_outbound",
                         "endpoint " + endpoint.id + " receives OpenPGP messages too (application/octet-stream)");
    partner.openpgp = std::move(settings);
}

// Read at start-up, so a directory that does not load stops the daemon
// rather than silently sending the nonprofit nothing.
void readDirectory(const nlohmann::json &doc, Partner &partner, const fs::path &base, ProblemSink &sink) {
    auto section = doc.find("directory");
    if (section == doc.end()) return;
    if (partner.role != model::PartnerRole::Nonprofit) {
        sink.error("/directory", "only a nonprofit has a service directory");
        return;
    }
    fs::path file(section->at("file").get<std::string>());
    partner.directoryFile = (file.is_absolute() ? file : base / file).lexically_normal();
    for (const auto &need : section->value("needs", nlohmann::json::array()))
        if (auto code = model::enumFromString<model::NeedCode>(need.get<std::string>()))
            partner.referralNeeds.push_back(*code);
    auto loaded = referral::loadDirectory(*partner.directoryFile);
    if (!loaded) {
        sink.error("/directory/file", loaded.error().message);
        return;
    }
    if (loaded.value().services.empty())
        sink.warning("/directory/file", "the directory lists no services: the partner is sent no referrals");
    if (!partner.outboundFormat(model::MessageType::Referral))
        sink.error("/outbound", "the partner has a directory but no outbound format for referral");
    partner.directory = std::make_shared<const referral::Directory>(std::move(loaded.value()));
}

}  // namespace

SecretRef readSecret(const nlohmann::json &ref, const fs::path &base) {
    if (ref.contains("env")) return SecretRef{SecretRef::Kind::Environment, ref.at("env").get<std::string>()};
    // Relative to the data folder, which loadGatewayConfig knows and fills in.
    if (ref.contains("sealed")) return SecretRef{SecretRef::Kind::Sealed, ref.at("sealed").get<std::string>()};
    fs::path file(ref.at("file").get<std::string>());
    return SecretRef{SecretRef::Kind::File, (file.is_absolute() ? file : base / file).lexically_normal().string()};
}

void checkSecretAvailable(const SecretRef &secret, const std::string &pointer, ProblemSink &sink) {
    // Missing secrets are warnings here: `config check` runs where the
    // daemon's environment may not be set; the daemon refuses to start.
    if (secret.kind == SecretRef::Kind::Environment && std::getenv(secret.name.c_str()) == nullptr)
        sink.warning(pointer, "environment variable " + secret.name + " is not set");
    std::error_code ec;
    if (secret.kind == SecretRef::Kind::File && !fs::is_regular_file(secret.name, ec))
        sink.warning(pointer, "secret file not found: " + secret.name);
}

std::optional<Partner> loadPartner(const fs::path &file, PluginCache &plugins, std::vector<ConfigProblem> &problems) {
    const std::size_t before = problems.size();
    ProblemSink sink(problems, file);
    auto doc = readConfigDocument(file, partnerSchemaText(), sink);
    if (!doc) return std::nullopt;
    const fs::path base = file.parent_path();

    Partner partner;
    partner.file = file;
    partner.id = doc->at("id").get<std::string>();
    partner.name = doc->at("name").get<std::string>();
    partner.role = *model::partnerRoleFromString(doc->at("role").get<std::string>());
    if (file.stem() != partner.id) sink.error("/id", "does not match the file name " + file.filename().string());

    readFormats(*doc, true, partner, base, plugins, sink);
    readFormats(*doc, false, partner, base, plugins, sink);
    if (auto channels = doc->find("channels"); channels != doc->end()) {
        for (std::size_t i = 0; i < channels->size(); ++i) {
            const nlohmann::json &c = (*channels)[i];
            const std::string pointer = pointerTo({"channels", std::to_string(i)});
            InboundChannel channel;
            channel.type = channelType(c.at("type").get<std::string>());
            if (auto p = c.find("path"); p != c.end()) channel.path = (base / p->get<std::string>()).lexically_normal();
            const bool drop = channel.type == InboundChannel::Type::SftpDrop;
            const bool pull = channel.type == InboundChannel::Type::SftpPull;
            for (const char *key : {"authorized_keys", "quiet_period_ms"})
                if (!drop && c.contains(key)) sink.error(pointer + "/" + key, "only an sftp_drop channel takes this");
            if (!drop && !pull && c.contains("user"))
                sink.error(pointer + "/user", "only an sftp_drop or sftp_pull channel takes this");
            for (const char *key : {"host", "port", "private_key", "known_hosts", "remote_folder", "poll_interval_ms",
                                    "after_pull", "timeout_ms"})
                if (!pull && c.contains(key)) sink.error(pointer + "/" + key, "only an sftp_pull channel takes this");
            if (pull) {
                if (c.contains("path"))
                    sink.error(pointer + "/path", "an sftp_pull channel names its folder with \"remote_folder\"");
                channel.path.clear();
                channel.remote = readSftpRemote(c, pointer, base, sink);
                channel.pollIntervalMs = valueOr<std::uint32_t>(c, "poll_interval_ms", channel.pollIntervalMs);
                const std::string after = valueOr<std::string>(c, "after_pull", "delete");
                if (after.rfind("move:", 0) == 0) channel.afterPullMoveTo = after.substr(5);
                if (channel.remote && !channel.afterPullMoveTo.empty() &&
                    channel.afterPullMoveTo == channel.remote->folder)
                    sink.error(pointer + "/after_pull", "must move files out of the remote folder, not into it");
            }
            if (drop && c.contains("user")) {
                static const std::regex unixName("^[a-z_][a-z0-9_-]{0,31}$");
                if (!std::regex_match(c.at("user").get<std::string>(), unixName))
                    sink.error(pointer + "/user", "an sftp_drop account must match ^[a-z_][a-z0-9_-]{0,31}$");
            }
            if (drop) {
                if (c.contains("path"))
                    sink.warning(pointer + "/path",
                                 "is ignored: an sftp_drop folder is <sftp root>/" + partner.id + "/inbound");
                channel.path.clear();
                channel.user = valueOr<std::string>(c, "user", "");
                if (auto k = c.find("authorized_keys"); k != c.end())
                    channel.authorizedKeys = (base / k->get<std::string>()).lexically_normal();
                if (auto q = c.find("quiet_period_ms"); q != c.end()) channel.quietPeriodMs = q->get<std::uint32_t>();
                for (const auto &other : partner.channels)
                    if (other.type == InboundChannel::Type::SftpDrop)
                        sink.error(pointer, "the partner has one sftp_drop channel already");
            }
            partner.channels.push_back(channel);
        }
    }
    if (!partner.channels.empty() && !doc->contains("inbound"))
        sink.error("/channels", "the partner has intake channels but no inbound formats");
    readEndpoints(*doc, partner, base, sink);
    readOpenPgp(*doc, partner, base, sink);
    readDirectory(*doc, partner, base, sink);

    if (auto credentials = doc->find("credentials"); credentials != doc->end()) {
        if (auto keys = credentials->find("api_keys"); keys != credentials->end()) {
            std::set<std::string> keyIds;
            for (std::size_t i = 0; i < keys->size(); ++i) {
                const auto &k = (*keys)[i];
                const std::string pointer = pointerTo({"credentials", "api_keys", std::to_string(i)});
                ApiKey key{k.at("id").get<std::string>(), k.at("prefix").get<std::string>(),
                           k.at("sha256").get<std::string>(), readExpiry(k, pointer, sink)};
                if (!keyIds.insert(key.id).second) sink.error(pointer + "/id", "API key id is used twice");
                partner.apiKeys.push_back(std::move(key));
            }
        }
        if (auto signing = credentials->find("request_signing"); signing != credentials->end()) {
            partner.signatureRequired = signing->at("required").get<bool>();
            partner.requestSigningSecret = readSecret(signing->at("secret"), base);
            checkSecretAvailable(*partner.requestSigningSecret, "/credentials/request_signing/secret", sink);
            if (auto previous = signing->find("previous"); previous != signing->end())
                partner.previousSigningSecrets = readRetiringSecrets(
                    *previous, pointerTo({"credentials", "request_signing", "previous"}), base, sink);
        }
    }
    if (auto pin = doc->find("client_certificate_sha256"); pin != doc->end())
        for (char c : pin->get<std::string>())
            if (c != ':')
                partner.clientCertificateSha256.push_back(
                    static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    bool httpIntake = std::any_of(partner.channels.begin(), partner.channels.end(),
                                  [](const InboundChannel &c) { return c.type == InboundChannel::Type::Http; });
    if (httpIntake && partner.apiKeys.empty())
        sink.error("/credentials/api_keys", "HTTP intake needs at least one API key");

    for (std::size_t i = before; i < problems.size(); ++i)
        if (!problems[i].warning) return std::nullopt;
    return partner;
}

}  // namespace lendgate::config
