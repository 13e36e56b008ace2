#include "core/config/gateway_config.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "config_internal.h"
#include "config_schemas.h"
#include "core/common/json_schema.h"
#include "core/common/strict_json.h"
#include "core/policy/policy_config.h"
#include "core/referral/hsds_directory.h"
#include "core/routing/partner_directory.h"

namespace lendgate::config {

namespace {

// Configuration strings are short; capping them keeps valijson's std::regex
// away from inputs long enough to overflow the stack.
constexpr StrictJsonLimits kConfigLimits{4u << 20, 32, 16u << 10, 40};

fs::path resolve(const fs::path &base, const std::string &path) {
    fs::path p(path);
    return (p.is_absolute() ? p : base / p).lexically_normal();
}

template <class T>
T valueOr(const nlohmann::json &object, const char *key, T fallback) {
    auto it = object.find(key);
    return it == object.end() ? fallback : it->get<T>();
}

void readListener(const nlohmann::json &doc, const char *name, Listener &listener) {
    auto http = doc.find("http");
    if (http == doc.end() || !http->contains(name)) return;
    const nlohmann::json &l = (*http)[name];
    listener.host = valueOr<std::string>(l, "host", listener.host);
    listener.port = static_cast<std::uint16_t>(l.at("port").get<int>());
    if (auto tls = l.find("tls"); tls != l.end()) {
        listener.tlsCertificate = tls->at("certificate").get<std::string>();
        listener.tlsPrivateKey = tls->at("private_key").get<std::string>();
        if (tls->contains("client_ca")) listener.tlsClientCa = tls->at("client_ca").get<std::string>();
        listener.clientCertificateOptional = valueOr<std::string>(*tls, "client_certificate", "required") == "optional";
    }
}

// Sealed secrets live under the data folder, which partner files do not
// know; a certificate pin is only enforceable where client certificates are
// asked for.
void checkPartnerSecretsAndPins(GatewayConfig &config, std::vector<ConfigProblem> &problems) {
    for (Partner &partner : config.partners) {
        ProblemSink sink(problems, partner.file);
        auto place = [&](SecretRef &secret, const std::string &pointer) {
            if (secret.kind != SecretRef::Kind::Sealed) return;
            secret.name = (config.dataDir / secret.name).lexically_normal().string();
            std::error_code ec;
            if (!fs::is_regular_file(secret.name, ec)) sink.warning(pointer, "sealed secret not found: " + secret.name);
        };
        if (partner.requestSigningSecret) place(*partner.requestSigningSecret, "/credentials/request_signing/secret");
        for (std::size_t i = 0; i < partner.previousSigningSecrets.size(); ++i)
            place(partner.previousSigningSecrets[i].secret,
                  "/credentials/request_signing/previous/" + std::to_string(i) + "/secret");
        for (std::size_t e = 0; e < partner.endpoints.size(); ++e) {
            Endpoint &endpoint = partner.endpoints[e];
            const std::string pointer = "/endpoints/" + std::to_string(e);
            if (endpoint.signingSecret) place(*endpoint.signingSecret, pointer + "/signing_secret");
            for (std::size_t i = 0; i < endpoint.previousSigningSecrets.size(); ++i)
                place(endpoint.previousSigningSecrets[i].secret,
                      pointer + "/signing_secret_previous/" + std::to_string(i) + "/secret");
        }
        if (!partner.clientCertificateSha256.empty() && !config.partnerApi.tlsClientCa)
            sink.error("/client_certificate_sha256",
                       "a pinned client certificate needs http.partner_api.tls.client_ca in " +
                           config.file.filename().string());
    }
}

// The routes and policies loaders report one problem per line, each
// "FILE: /pointer: reason"; each becomes a ConfigProblem of that file.
void addProblemLines(const fs::path &file, const std::string &message, std::vector<ConfigProblem> &problems) {
    const std::string prefix = file.string() + ": ";
    std::istringstream lines(message);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind(prefix, 0) == 0) line.erase(0, prefix.size());
        std::string pointer;
        if (!line.empty() && line[0] == '/') {
            auto colon = line.find(": ");
            pointer = line.substr(0, colon);
            line = colon == std::string::npos ? "" : line.substr(colon + 2);
        }
        problems.push_back(ConfigProblem{file, pointer, line, false});
    }
}

// Routes name partners, so they are checked against the partners just loaded.
void loadRoutes(GatewayConfig &config, std::vector<ConfigProblem> &problems) {
    std::ifstream in(config.routesFile, std::ios::binary);
    if (!in) return;  // already reported at /routes
    std::ostringstream text;
    text << in.rdbuf();
    routing::StaticPartnerDirectory directory;
    for (const Partner &p : config.partners) {
        std::set<std::string, std::less<>> formats;
        for (const FormatBinding &f : p.outbound) formats.insert(f.plugin);
        directory.add(p.id, p.role, std::move(formats));
    }
    auto table = routing::RouteTable::load(text.str(), config.routesFile.string(), directory);
    if (table) {
        config.routes = std::make_shared<const routing::RouteTable>(std::move(table).value());
        return;
    }
    addProblemLines(config.routesFile, table.error().message, problems);
}

// The compliance policies (core/policy), checked by their own schema.
void loadPolicies(GatewayConfig &config, std::vector<ConfigProblem> &problems) {
    if (!config.policiesFile) return;
    std::error_code ec;
    if (!fs::is_regular_file(*config.policiesFile, ec)) {
        problems.push_back(
            ConfigProblem{config.file, "/policies", "file not found: " + config.policiesFile->string(), false});
        return;
    }
    auto loaded = policy::loadPolicyConfig(*config.policiesFile);
    if (loaded) {
        config.policies = std::make_shared<const policy::PolicyConfig>(std::move(loaded).value());
        return;
    }
    addProblemLines(*config.policiesFile, loaded.error().message, problems);
}

// Drop folders need the sftp section, and every partner its own account
// (useradd takes at most 32 characters).
// The nonprofits' directories against the official HSDS schemas, and the
// need mapping against what the directories can serve.
void checkDirectories(const GatewayConfig &config, std::vector<ConfigProblem> &problems, ProblemSink &sink) {
    std::error_code ec;
    const bool haveSchemas = fs::is_regular_file(config.referrals.hsdsSchemaDir / "service.json", ec);
    bool anyDirectory = false;
    for (const Partner &partner : config.partners) {
        if (!partner.directory) continue;
        anyDirectory = true;
        if (!haveSchemas) continue;
        ProblemSink partnerSink(problems, partner.file);
        for (const std::string &problem :
             referral::validateDirectory(*partner.directoryFile, config.referrals.hsdsSchemaDir))
            partnerSink.error("/directory/file", "not valid HSDS 3.0: " + problem);
    }
    if (anyDirectory && !haveSchemas)
        sink.warning("/referrals/hsds_schema_dir", "no HSDS 3.0 schemas in " + config.referrals.hsdsSchemaDir.string() +
                                                       ": the nonprofits' directories are not validated");
    if (anyDirectory && config.referrals.needTerms.empty())
        sink.warning("/referrals/needs", "no need is mapped to taxonomy terms: no referral can be made");
}

void checkSftpDrops(const GatewayConfig &config, std::vector<ConfigProblem> &problems, ProblemSink &sink) {
    std::map<std::string, std::string> users;
    bool any = false;
    for (const Partner &p : config.partners) {
        const InboundChannel *channel = GatewayConfig::sftpDrop(p);
        if (channel == nullptr) continue;
        any = true;
        std::size_t index = 0;
        while (&p.channels[index] != channel) ++index;
        ProblemSink partnerSink(problems, p.file);
        const std::string pointer = "/channels/" + std::to_string(index);
        if (!config.sftp) {
            partnerSink.warning(pointer,
                                "lendgate.json has no sftp section: nothing serves or watches this drop folder");
            continue;
        }
        const std::string user = config.sftpUser(p);
        if (user.size() > 32)
            partnerSink.error(
                pointer, "the account name " + user + " is longer than 32 characters: set \"user\" on this channel");
        if (auto [it, fresh] = users.emplace(user, p.id); !fresh)
            partnerSink.error(pointer, "the account " + user + " is partner " + it->second + "'s already");
        bool filePatterns = false, shared = true;
        for (const FormatBinding &b : p.inbound) {
            filePatterns |= !b.filePattern.empty();
            shared &= b.plugin == p.inbound.front().plugin && b.pluginConfig == p.inbound.front().pluginConfig;
        }
        if (!filePatterns && !shared)
            partnerSink.error(pointer, "the partner sends several formats: give each inbound binding a file_pattern");
    }
    if (config.sftp && !any) sink.warning("/sftp", "no partner has an sftp_drop channel");
}

}  // namespace

const InboundChannel *GatewayConfig::sftpDrop(const Partner &partner) {
    for (const InboundChannel &c : partner.channels)
        if (c.type == InboundChannel::Type::SftpDrop) return &c;
    return nullptr;
}

std::string GatewayConfig::sftpUser(const Partner &partner) const {
    const InboundChannel *channel = sftpDrop(partner);
    if (channel != nullptr && !channel->user.empty()) return channel->user;
    return (sftp ? sftp->userPrefix : std::string("lg-")) + partner.id;
}

std::optional<nlohmann::json> readConfigDocument(const fs::path &file, std::string_view schemaText, ProblemSink &sink) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        sink.error("", "cannot be opened");
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    JsonSyntaxError syntax;
    auto document = parseStrictJson(text.str(), syntax, kConfigLimits);
    if (!document) {
        sink.error(syntax.pointer, syntax.message + " (" + syntax.code + ")");
        return std::nullopt;
    }
    auto compiled = JsonSchema::compile(schemaText);
    if (!compiled) {
        sink.error("", "internal: " + compiled.error().message);
        return std::nullopt;
    }
    auto violations = compiled.value()->validate(*document);
    for (const SchemaViolation &v : violations) sink.error(v.pointer, v.message);
    if (!violations.empty()) return std::nullopt;
    return document;
}

std::shared_ptr<plugin::PluginLibrary> PluginCache::get(const std::string &name, std::string &why) {
    if (auto it = loaded_.find(name); it != loaded_.end()) return it->second;
    if (auto it = failed_.find(name); it != failed_.end()) {
        why = it->second;
        return nullptr;
    }
    auto library = plugin::PluginLibrary::load(directory_ / ("lendgate-plugin-" + name + ".so"));
    if (!library) {
        why = library.error().message;
        failed_[name] = why;
        return nullptr;
    }
    if (library.value()->info().name != name) {
        why = "plugin file " + library.value()->info().file.string() + " calls itself '" +
              library.value()->info().name + "', not '" + name + "'";
        failed_[name] = why;
        return nullptr;
    }
    return loaded_[name] = std::move(library).value();
}

const Partner *GatewayConfig::partner(std::string_view id) const {
    for (const Partner &p : partners)
        if (p.id == id) return &p;
    return nullptr;
}

const FormatBinding *Partner::inboundFormat(model::MessageType type) const {
    for (const FormatBinding &f : inbound)
        if (f.type == type) return &f;
    return nullptr;
}

const FormatBinding *Partner::outboundFormat(model::MessageType type) const {
    for (const FormatBinding &f : outbound)
        if (f.type == type) return &f;
    return nullptr;
}

std::string describe(const ConfigProblem &problem) {
    std::string out = problem.file.string() + ": ";
    if (!problem.pointer.empty()) out += problem.pointer + ": ";
    if (problem.warning) out += "warning: ";
    return out + problem.message;
}

LoadedConfig loadGatewayConfig(const fs::path &requested, const LoadOptions &options) {
    LoadedConfig result;
    const fs::path file = fs::absolute(requested).lexically_normal();
    ProblemSink sink(result.problems, file);
    auto doc = readConfigDocument(file, gatewaySchemaText(), sink);
    if (!doc) return result;

    const fs::path base = file.parent_path();
    GatewayConfig config;
    config.file = file;
    config.dataDir = resolve(base, doc->at("data_dir").get<std::string>());
    config.pluginDir = options.pluginDir ? fs::absolute(*options.pluginDir).lexically_normal()
                                         : resolve(base, doc->at("plugin_dir").get<std::string>());
    config.partnersDir = resolve(base, doc->at("partners_dir").get<std::string>());
    config.routesFile = resolve(base, doc->at("routes").get<std::string>());
    if (auto p = doc->find("policies"); p != doc->end()) config.policiesFile = resolve(base, p->get<std::string>());
    if (auto j = doc->find("journal"); j != doc->end()) {
        config.synchronous = valueOr<std::string>(*j, "synchronous", config.synchronous);
        config.allowUnsafeSynchronous = valueOr<bool>(*j, "allow_unsafe_synchronous", false);
        if (config.synchronous != "FULL" && config.synchronous != "EXTRA" && !config.allowUnsafeSynchronous)
            sink.error("/journal/synchronous", "synchronous=" + config.synchronous +
                                                   " can lose acknowledged messages on power loss; use FULL, or set "
                                                   "allow_unsafe_synchronous to true if you accept that");
    }
    std::error_code ec0;
    readListener(*doc, "partner_api", config.partnerApi);
    readListener(*doc, "admin_api", config.adminApi);
    if (config.partnerApi.port != 0 && config.partnerApi.port == config.adminApi.port &&
        config.partnerApi.host == config.adminApi.host)
        sink.error("/http/admin_api/port", "the admin API must listen apart from the partner API");
    if (auto h = doc->find("http"); h != doc->end()) {
        config.maxBodyBytes = valueOr<std::uint64_t>(*h, "max_body_bytes", config.maxBodyBytes);
        config.maxConnections = valueOr<std::uint32_t>(*h, "max_connections", config.maxConnections);
        config.workerThreads = valueOr<std::uint32_t>(*h, "worker_threads", config.workerThreads);
        config.readTimeoutMs = valueOr<std::uint32_t>(*h, "read_timeout_ms", config.readTimeoutMs);
    }
    if (auto d = doc->find("delivery"); d != doc->end()) {
        config.deliveryWorkers = valueOr<std::uint32_t>(*d, "workers", config.deliveryWorkers);
        config.initialBackoffMs = valueOr<std::uint32_t>(*d, "initial_backoff_ms", config.initialBackoffMs);
        config.maxBackoffMs = valueOr<std::uint32_t>(*d, "max_backoff_ms", config.maxBackoffMs);
        config.maxAttempts = valueOr<std::uint32_t>(*d, "max_attempts", config.maxAttempts);
        config.maxAgeHours = valueOr<std::uint32_t>(*d, "max_age_hours", config.maxAgeHours);
        if (config.maxBackoffMs < config.initialBackoffMs)
            sink.error("/delivery/max_backoff_ms", "is smaller than initial_backoff_ms");
    }
    if (auto r = doc->find("retention"); r != doc->end()) {
        config.retentionDays = valueOr<std::uint32_t>(*r, "days", config.retentionDays);
        config.purgeIntervalHours = valueOr<std::uint32_t>(*r, "purge_interval_hours", config.purgeIntervalHours);
    }
    if (auto a = doc->find("alerts"); a != doc->end()) {
        config.alerts.clockIntervalSeconds =
            valueOr<std::uint32_t>(*a, "clock_interval_seconds", config.alerts.clockIntervalSeconds);
        config.alerts.watchDays = valueOr<std::uint32_t>(*a, "watch_days", config.alerts.watchDays);
        if (auto w = a->find("webhook"); w != a->end()) {
            Endpoint webhook;
            webhook.id = "operator";
            webhook.url = w->at("url").get<std::string>();
            webhook.timeoutMs = valueOr<std::uint32_t>(*w, "timeout_ms", 5000);
            webhook.signingSecret = readSecret(w->at("signing_secret"), base);
            if (webhook.signingSecret->kind == SecretRef::Kind::Sealed)
                sink.error("/alerts/webhook/signing_secret", "the operator webhook's secret comes from env or file");
            else
                checkSecretAvailable(*webhook.signingSecret, "/alerts/webhook/signing_secret", sink);
            config.alerts.webhook = std::move(webhook);
        }
    }
    config.referrals.hsdsSchemaDir = base / "schemas" / "hsds";
    if (auto r = doc->find("referrals"); r != doc->end()) {
        if (r->contains("hsds_schema_dir"))
            config.referrals.hsdsSchemaDir = resolve(base, r->at("hsds_schema_dir").get<std::string>());
        const nlohmann::json needs = r->value("needs", nlohmann::json::object());
        for (const auto &[need, terms] : needs.items()) {
            const auto code = model::enumFromString<model::NeedCode>(need);
            if (!code) {
                std::string known;
                for (const auto &[value, name] : model::EnumNames<model::NeedCode>::names)
                    known += (known.empty() ? "" : ", ") + std::string(name);
                sink.error("/referrals/needs/" + need, "is not a need code (" + known + ")");
                continue;
            }
            config.referrals.needTerms[*code] = terms.get<std::vector<std::string>>();
        }
    }
    if (auto a = doc->find("admin"); a != doc->end() && a->contains("tokens")) {
        for (const auto &t : a->at("tokens")) {
            AdminToken token;
            token.id = t.at("id").get<std::string>();
            const auto role = t.at("role").get<std::string>();
            token.role = role == "admin"      ? AdminToken::Role::Admin
                         : role == "operator" ? AdminToken::Role::Operator
                                              : AdminToken::Role::Viewer;
            token.prefix = t.at("prefix").get<std::string>();
            token.sha256Hex = t.at("sha256").get<std::string>();
            config.adminTokens.push_back(std::move(token));
        }
    }
    config.pgpHome = config.dataDir / "gnupg";
    if (auto o = doc->find("openpgp"); o != doc->end() && o->contains("home"))
        config.pgpHome = resolve(base, o->at("home").get<std::string>());
    if (auto o = doc->find("outbound_tls"); o != doc->end() && o->contains("ca_bundle")) {
        config.outboundCaBundle = resolve(base, o->at("ca_bundle").get<std::string>());
        if (!fs::is_regular_file(*config.outboundCaBundle, ec0))
            sink.error("/outbound_tls/ca_bundle", "file not found: " + config.outboundCaBundle->string());
    }
    if (auto l = doc->find("log"); l != doc->end()) config.logLevel = valueOr<std::string>(*l, "level", "info");
    if (auto s = doc->find("sftp"); s != doc->end()) {
        SftpSettings sftp;
        sftp.root = resolve(base, s->at("root").get<std::string>());
        if (auto l = s->find("listen"); l != s->end()) {
            sftp.host = valueOr<std::string>(*l, "host", sftp.host);
            sftp.port = static_cast<std::uint16_t>(l->at("port").get<int>());
        }
        sftp.hostKey = s->contains("host_key") ? resolve(base, s->at("host_key").get<std::string>())
                                               : config.dataDir / "sftp" / "ssh_host_ed25519_key";
        sftp.userPrefix = valueOr<std::string>(*s, "user_prefix", sftp.userPrefix);
        sftp.gatewayGroup = valueOr<std::string>(*s, "gateway_group", "");
        sftp.quietPeriodMs = valueOr<std::uint32_t>(*s, "quiet_period_ms", sftp.quietPeriodMs);
        sftp.maxFileBytes = valueOr<std::uint64_t>(*s, "max_file_bytes", sftp.maxFileBytes);
        if (s->contains("sshd_binary")) sftp.sshdBinary = resolve(base, s->at("sshd_binary").get<std::string>());
        // The processing folder sits beside the chroots (renames cannot
        // cross file systems), so the root itself must be no chroot.
        if (sftp.root == fs::path("/")) sink.error("/sftp/root", "must not be /");
        config.sftp = std::move(sftp);
    }

    std::error_code ec;
    if (!fs::is_directory(config.pluginDir, ec)) {
        // Every plugin check would fail the same way: say it once.
        sink.error("/plugin_dir",
                   "is not a folder: " + config.pluginDir.string() + " (build first, or pass --plugin-dir)");
        return result;
    }
    if (!fs::is_regular_file(config.routesFile, ec))
        sink.error("/routes", "file not found: " + config.routesFile.string());
    std::vector<fs::path> partnerFiles;
    for (fs::directory_iterator it(config.partnersDir, ec), end; !ec && it != end; it.increment(ec))
        if (it->path().extension() == ".json") partnerFiles.push_back(it->path());
    if (ec) sink.error("/partners_dir", "cannot be listed: " + config.partnersDir.string());
    std::sort(partnerFiles.begin(), partnerFiles.end());

    PluginCache plugins(config.pluginDir);
    std::set<std::string> ids;
    for (const fs::path &partnerFile : partnerFiles) {
        auto partner = loadPartner(partnerFile, plugins, result.problems);
        if (!partner) continue;
        if (!ids.insert(partner->id).second) {
            ProblemSink(result.problems, partnerFile).error("/id", "partner id '" + partner->id + "' is used twice");
            continue;
        }
        config.partners.push_back(std::move(*partner));
    }
    if (config.partners.empty() && partnerFiles.empty())
        sink.warning("/partners_dir", "no partner files (*.json) in " + config.partnersDir.string());

    checkSftpDrops(config, result.problems, sink);
    checkDirectories(config, result.problems, sink);
    checkPartnerSecretsAndPins(config, result.problems);
    loadRoutes(config, result.problems);
    loadPolicies(config, result.problems);

    bool hasError =
        std::any_of(result.problems.begin(), result.problems.end(), [](const ConfigProblem &p) { return !p.warning; });
    if (!hasError) result.config = std::move(config);
    return result;
}

}  // namespace lendgate::config
