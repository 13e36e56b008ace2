// Intake: partner bytes in, durable canonical messages out.
//
// For one input (an HTTP body now; a dropped file later) the service keeps
// the raw bytes as an encrypted blob, decodes them with the sender's plugin,
// validates every record against the model, replaces account numbers by
// tokens, derives the case, routes, and journals the lot through the group
// commit queue: messages, rejections and deliveries in one transaction. The
// answer (the ACK document) exists only once that commit is durable.
#ifndef LENDGATE_INTAKE_INTAKE_SERVICE_H
#define LENDGATE_INTAKE_INTAKE_SERVICE_H

#include <optional>
#include <string>
#include <string_view>

#include "core/common/log.h"
#include "core/config/gateway_config.h"
#include "core/intake/commit_queue.h"
#include "core/journal/blob_store.h"
#include "core/journal/journal.h"
#include "core/journal/ulid.h"
#include "core/metrics/metrics.h"
#include "core/plugin/plugin_catalog.h"
#include "core/privacy/field_vault.h"
#include "core/security/tokenizer.h"

namespace lendgate::intake {

struct IntakeServices {
    const config::GatewayConfig &config;
    journal::Journal &journal;
    journal::BlobStore &blobs;
    plugin::PluginCatalog &plugins;
    const security::AccountTokenizer &tokenizer;
    const privacy::FieldVault &vault;  ///< seals SSN, DOB and account numbers before anything is journaled
    CommitQueue &commits;
    const Clock &clock;
    Logger &logger;
    metrics::Registry &metrics;
    journal::UlidGenerator &ulids;
};

struct IntakeRequest {
    std::string sender;  ///< authenticated partner id
    /// The type the request names (query ?type= or a header); empty: the
    /// partner's plugin decides, when all its inbound types share one plugin.
    std::optional<model::MessageType> declaredType;
    std::string idempotencyKey;  ///< empty: none (duplicates are then recognised by content)
    std::string channel = "http";
    std::string reference;  ///< what the ACK names: the request's key or the file name
    bool isFile = false;
    std::string_view body;  ///< the input, when it is in memory (an HTTP body)
    /// The input as a stream instead (a dropped file): read once, into the
    /// blob store, and decoded from there.
    journal::ByteSource *source = nullptr;
    std::uint64_t maxBytes = 0;  ///< cap for `source`; 0: the configured body cap
};

enum class IntakeStatus {
    Accepted,     ///< every record taken (202)
    Partial,      ///< some records rejected (202)
    Rejected,     ///< every record rejected (422)
    Unusable,     ///< the input as a whole (400)
    Forbidden,    ///< type not allowed for the partner's role or channel (403)
    Conflict,     ///< idempotency key reused with another body (409)
    TooLarge,     ///< over the size cap (413)
    Unavailable,  ///< journal or disk unavailable: nothing acknowledged (503)
    Internal,     ///< a bug or a broken plugin (500)
};

int httpStatusOf(IntakeStatus status);

struct IntakeResponse {
    IntakeStatus status = IntakeStatus::Internal;
    std::string document;  ///< the ACK (JSON) for Accepted/Partial/Rejected/Unusable; an error object otherwise
    std::string submissionId;
    bool replayed = false;  ///< answered from the journal: an earlier identical request
};

/// Inputs larger than this are journaled in parts of kRecordsPerPart
/// records after a first pass has checked the input as a whole (control
/// totals live in trailers), so memory stays bounded whatever the size.
inline constexpr std::uint64_t kPartsThresholdBytes = 4u << 20;
inline constexpr std::size_t kRecordsPerPart = 10000;

class IntakeService {
public:
    explicit IntakeService(IntakeServices services) : s_(services) {}

    IntakeResponse ingest(const IntakeRequest &request);

private:
    IntakeServices s_;
};

}  // namespace lendgate::intake

#endif  // LENDGATE_INTAKE_INTAKE_SERVICE_H
