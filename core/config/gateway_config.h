// The daemon's configuration: config/lendgate.json, the partner files and the
// routes, loaded and checked as a whole. Every problem names its file and a
// JSON Pointer into it, and all of them are reported at once, so an operator
// fixes a configuration in one pass.
#ifndef LENDGATE_CONFIG_GATEWAY_CONFIG_H
#define LENDGATE_CONFIG_GATEWAY_CONFIG_H

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/model/message.h"
#include "core/model/roles.h"
#include "core/routing/route_table.h"

namespace lendgate::policy {
struct PolicyConfig;
}
namespace lendgate::referral {
struct Directory;
}

namespace lendgate::config {

namespace fs = std::filesystem;

/// A secret by reference; configuration never holds one inline. A sealed
/// secret is a file under the data folder encrypted with the key ring
/// (core/config/sealed_secrets.h), so only the daemon can read it.
struct SecretRef {
    enum class Kind { Environment, File, Sealed } kind = Kind::Environment;
    std::string name;  ///< variable name, or absolute file path (Sealed: under <data_dir>)
};

/// A secret being rotated out: still accepted until expiresAtUnix (seconds).
struct RetiringSecret {
    SecretRef secret;
    std::int64_t expiresAtUnix = 0;
};

/// A partner's format for one message type: the plugin and its config file.
struct FormatBinding {
    model::MessageType type = model::MessageType::Ack;
    std::string plugin;       ///< plugin name, file lendgate-plugin-NAME.so in the plugin folder
    fs::path pluginConfig;    ///< absolute path of the plugin's config file
    std::string filePattern;  ///< for file channels: which files carry this type
};

/// A partner's own SFTP server, which the gateway logs into (sftp_pull
/// channels, sftp_push endpoints). The host key is pinned: only keys in
/// knownHosts are accepted, never learned on first use.
struct SftpRemote {
    std::string host;
    std::uint16_t port = 22;
    std::string user;
    SecretRef privateKey;             ///< an OpenSSH or PEM private key, unencrypted
    fs::path knownHosts;              ///< OpenSSH known_hosts lines for host (and port)
    std::string folder;               ///< remote folder, as the server names it
    std::uint32_t timeoutMs = 30000;  ///< connect and each operation
};

struct InboundChannel {
    enum class Type { Http, SftpDrop, SftpPull, Directory } type = Type::Http;
    fs::path path;
    // sftp_drop only (core/sftp): the Unix account (empty: the sftp
    // section's user_prefix + partner id), the partner's public key file,
    // and its own quiet period for files written in place.
    std::string user;
    fs::path authorizedKeys;
    std::optional<std::uint32_t> quietPeriodMs;
    // sftp_pull only (core/sftp/pull_poller.h): where to fetch from, how
    // often, and what becomes of a remote file once it is committed: removed
    // (afterPullMoveTo empty) or moved into that remote folder.
    std::optional<SftpRemote> remote;
    std::uint32_t pollIntervalMs = 60000;
    std::string afterPullMoveTo;
};

/// A file endpoint that batches (profile key "batch"): the deliveries of each
/// message type collect into one file, rendered by the partner's plugin with
/// its header and trailer, which leaves once the longest-waiting record has
/// waited windowSeconds or maxRecords are waiting. HOLD and CANCEL never
/// wait: each leaves at once in a file of its own (core/delivery/batcher.h).
struct BatchSettings {
    std::uint32_t windowSeconds = 0;  ///< 0: no time limit
    std::uint32_t maxRecords = 0;     ///< 0: no count limit (a file holds at most 50,000 records)
    /// The file name: {partner}, {type}, {date:FORMAT} (%Y %y %m %d %j %H %M
    /// %S %F, UTC), {seq} or {seq:0N} (zero-padded to N digits), {ext}.
    std::string fileName;
};

/// What fills in a batch file name.
struct BatchFileNameParts {
    std::string partner;
    std::string messageType;
    std::int64_t unixMs = 0;  ///< the file's date and time (UTC)
    std::int64_t sequence = 1;
    std::string extension;  ///< e.g. ".txt"
};

/// `pattern` (BatchSettings::fileName) filled in, or nullopt with `why` set
/// when the pattern is malformed or does not give a safe file name.
std::optional<std::string> formatBatchFileName(const std::string &pattern, const BatchFileNameParts &parts,
                                               std::string &why);

/// Why `pattern` cannot name batch files ("" if it can): it must be well
/// formed, carry {seq} and a {date:...} that names the day (the sequence
/// restarts each UTC day), and {type} when the endpoint batches several types.
std::string checkBatchFileName(const std::string &pattern, bool severalTypes);

struct Endpoint {
    enum class Type { Webhook, Directory, Pull, SftpPush } type = Type::Webhook;
    std::string id;
    std::string url;
    fs::path path;
    std::uint32_t timeoutMs = 10000;
    /// webhook: signs each request (sealed: opened with the key ring at start-up).
    std::optional<SecretRef> signingSecret;
    /// webhook: secrets being rotated out ("signing_secret_previous"); each
    /// request also carries a signature with each of them until it expires,
    /// so a receiver still holding one keeps verifying.
    std::vector<RetiringSecret> previousSigningSecrets;
    std::vector<model::MessageType> messageTypes;  ///< empty: every outbound type
    /// sftp_push only: the partner's server (remote->folder is the target
    /// folder) and the remote file name, from {message_id}, {message_type},
    /// {case_id} and {ext}.
    std::optional<SftpRemote> remote;
    std::string fileName = "{message_id}{ext}";
    /// directory and sftp_push only: set when the endpoint sends batch files.
    std::optional<BatchSettings> batch;
};

struct ApiKey {
    std::string id;
    std::string prefix;
    std::string sha256Hex;
    std::optional<std::int64_t> expiresAtUnix;  ///< "expires_at"; refused from then on
};

/// A partner's OpenPGP settings (core/pgp): its public key, pinned by
/// fingerprint, and which directions are protected.
struct OpenPgpSettings {
    fs::path partnerKey;             ///< the partner's public key file (absolute)
    std::string partnerFingerprint;  ///< 40 upper-case hex digits, no spaces
    bool decryptInbound = true;      ///< dropped files must be encrypted to us (and are decrypted)
    bool requireSignature = true;    ///< ... and signed by the pinned key
    bool encryptOutbound = true;     ///< rendered files are encrypted to the partner and signed by us
    bool armor = false;              ///< ASCII armor (.asc) instead of binary (.pgp)
};

struct Partner {
    fs::path file;
    std::string id;
    std::string name;
    model::PartnerRole role = model::PartnerRole::Lender;
    std::vector<FormatBinding> inbound;
    std::vector<FormatBinding> outbound;
    std::vector<InboundChannel> channels;
    std::vector<Endpoint> endpoints;
    std::vector<ApiKey> apiKeys;
    bool signatureRequired = false;
    std::optional<SecretRef> requestSigningSecret;
    /// Earlier signing secrets, accepted beside the current one until they expire.
    std::vector<RetiringSecret> previousSigningSecrets;
    /// Lower-case hex SHA-256 of the DER client certificate the partner must
    /// present on the partner API (empty: no pin).
    std::string clientCertificateSha256;
    std::optional<OpenPgpSettings> openpgp;
    /// A nonprofit's service directory (Open Referral HSDS, core/referral):
    /// which needs it serves, and where. None: it is sent no referrals.
    std::optional<fs::path> directoryFile;
    std::shared_ptr<const referral::Directory> directory;
    /// The needs it takes referrals for, as agreed with it; empty: every need
    /// its directory serves.
    std::vector<model::NeedCode> referralNeeds;

    const FormatBinding *inboundFormat(model::MessageType type) const;
    const FormatBinding *outboundFormat(model::MessageType type) const;
};

/// An admin API bearer token: viewer reads (personal data masked), operator
/// also replays and releases, admin does everything.
struct AdminToken {
    enum class Role { Viewer, Operator, Admin } role = Role::Viewer;
    std::string id;
    std::string prefix;
    std::string sha256Hex;
};

struct Listener {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;
    std::optional<fs::path> tlsCertificate;
    std::optional<fs::path> tlsPrivateKey;
    std::optional<fs::path> tlsClientCa;
    /// With tlsClientCa: a client without a certificate is let in (a
    /// certificate that is presented must still verify).
    bool clientCertificateOptional = false;
};

/// The drop-folder server (config "sftp"); see core/sftp/.
struct SftpSettings {
    fs::path root;  ///< chroots are <root>/<partner id>
    std::string host = "127.0.0.1";
    std::uint16_t port = 2222;
    fs::path hostKey;  ///< default <data_dir>/sftp/ssh_host_ed25519_key
    std::string userPrefix = "lg-";
    std::string gatewayGroup;  ///< group the daemon runs as (empty: the provisioning user's)
    std::uint32_t quietPeriodMs = 30000;
    std::uint64_t maxFileBytes = 256u << 20;
    fs::path sshdBinary = "/usr/sbin/sshd";
};

/// Alerts (config "alerts"): how often the clock looks for overdue
/// acknowledgements and inventories, over which cases, and the operator
/// webhook every alert is posted to (signed like a partner webhook).
struct AlertSettings {
    std::uint32_t clockIntervalSeconds = 60;
    std::uint32_t watchDays = 90;  ///< cases with an assignment or outcome this recent
    std::optional<Endpoint> webhook;
};

/// Referrals (config "referrals"): the taxonomy terms that serve each need,
/// most specific first, and the official HSDS schemas the nonprofits'
/// directories are checked against.
struct ReferralSettings {
    std::map<model::NeedCode, std::vector<std::string>> needTerms;
    fs::path hsdsSchemaDir;  ///< default: schemas/hsds beside lendgate.json
};

struct GatewayConfig {
    fs::path file;
    fs::path dataDir;
    fs::path pluginDir;
    fs::path partnersDir;
    fs::path routesFile;
    std::string synchronous = "FULL";
    bool allowUnsafeSynchronous = false;
    Listener partnerApi{"127.0.0.1", 8480, {}, {}, {}, false};
    Listener adminApi{"127.0.0.1", 8481, {}, {}, {}, false};
    std::uint64_t maxBodyBytes = 64u << 20;
    std::uint32_t maxConnections = 256;
    std::uint32_t workerThreads = 64;
    std::uint32_t readTimeoutMs = 5000;
    std::uint32_t deliveryWorkers = 4;
    std::uint32_t initialBackoffMs = 1000;
    std::uint32_t maxBackoffMs = 3600000;
    std::uint32_t maxAttempts = 25;
    std::uint32_t maxAgeHours = 72;
    /// Personal data goes this long after a case's last activity (GLBA's
    /// outer limit by default; core/journal/retention.h).
    std::uint32_t retentionDays = 730;
    std::uint32_t purgeIntervalHours = 24;
    std::string logLevel = "info";
    std::vector<AdminToken> adminTokens;
    std::optional<SftpSettings> sftp;
    /// The gateway's GnuPG home (config "openpgp"."home"; default <data_dir>/gnupg).
    fs::path pgpHome;
    /// Outbound TLS trust (config "outbound_tls"."ca_bundle"); empty: the system's CAs.
    std::optional<fs::path> outboundCaBundle;
    std::vector<Partner> partners;
    std::shared_ptr<const routing::RouteTable> routes;
    /// The compliance policies (config "policies"); none: nothing is checked,
    /// held or fanned out (a pure message switch, as in transport tests).
    std::optional<fs::path> policiesFile;
    std::shared_ptr<const policy::PolicyConfig> policies;
    AlertSettings alerts;
    ReferralSettings referrals;

    const Partner *partner(std::string_view id) const;
    /// The partner's sftp_drop channel, or nullptr.
    static const InboundChannel *sftpDrop(const Partner &partner);
    /// The Unix account of a partner's sftp_drop channel (needs `sftp`).
    std::string sftpUser(const Partner &partner) const;
};

struct ConfigProblem {
    fs::path file;
    std::string pointer;  ///< JSON Pointer in `file`, "" for the file as a whole
    std::string message;
    bool warning = false;  ///< true: reported, but the configuration is usable
};

struct LoadedConfig {
    std::optional<GatewayConfig> config;  ///< set when there is no error (warnings allowed)
    std::vector<ConfigProblem> problems;
};

/// Loads lendgate.json and every partner file, checks plugins (they load,
/// they decode/encode the bound type, their config satisfies their schema)
/// and role permissions, then loads the routes against those partners.
struct LoadOptions {
    /// Overrides `plugin_dir` (e.g. a build folder other than the default).
    std::optional<fs::path> pluginDir;
};
LoadedConfig loadGatewayConfig(const fs::path &file, const LoadOptions &options = {});

/// "file: /pointer: message", the form every tool prints.
std::string describe(const ConfigProblem &problem);

}  // namespace lendgate::config

#endif  // LENDGATE_CONFIG_GATEWAY_CONFIG_H
