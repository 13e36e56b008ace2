#include "core/delivery/batcher.h"

#include <algorithm>
#include <ctime>

namespace lendgate::delivery {
namespace {

bool isPushEndpoint(const config::Endpoint &endpoint) {
    return endpoint.type == config::Endpoint::Type::Webhook || endpoint.type == config::Endpoint::Type::Directory ||
           endpoint.type == config::Endpoint::Type::SftpPush;
}

// The endpoint the dispatcher sends a type to: the first push endpoint that
// carries it (Dispatcher::endpointFor), so a lane and a single send agree.
const config::Endpoint *endpointFor(const config::Partner &partner, model::MessageType type) {
    for (const config::Endpoint &endpoint : partner.endpoints) {
        if (!isPushEndpoint(endpoint)) continue;
        if (endpoint.messageTypes.empty() ||
            std::find(endpoint.messageTypes.begin(), endpoint.messageTypes.end(), type) != endpoint.messageTypes.end())
            return &endpoint;
    }
    return nullptr;
}

}  // namespace

Batcher::Batcher(journal::Journal &journal, const config::GatewayConfig &config, Renderer &renderer,
                 const std::vector<std::string> &destinations)
    : journal_(journal), renderer_(renderer) {
    for (const std::string &destination : destinations) {
        const config::Partner *partner = config.partner(destination);
        if (partner == nullptr) continue;
        for (const config::FormatBinding &format : partner->outbound) {
            const config::Endpoint *endpoint = endpointFor(*partner, format.type);
            if (endpoint == nullptr || !endpoint->batch) continue;
            journal::BatchLane key{partner->id, std::string(model::toString(format.type))};
            lanes_.push_back(Lane{key, partner, endpoint});
            laneKeys_.push_back(std::move(key));
            claiming_.emplace_back();
        }
    }
}

const Batcher::Lane *Batcher::laneOf(const journal::DeliveryInfo &delivery) const {
    for (const Lane &lane : lanes_)
        if (lane.key.destination == delivery.destination && lane.key.messageType == delivery.messageType) return &lane;
    return nullptr;
}

Result<Batcher::DueFile> Batcher::claimIfDue(std::size_t index, std::int64_t nowMs, std::int64_t leaseMs) {
    const Lane &lane = lanes_.at(index);
    // Deciding and claiming under one lock, or two workers seeing the same
    // full lane would each send part of it as a file of its own.
    std::unique_lock lock(claiming_[index], std::try_to_lock);
    if (!lock.owns_lock()) return DueFile{};
    auto backlog = journal_.batchBacklog(lane.key, nowMs);
    if (!backlog) return backlog.error();
    const journal::BatchBacklog &waiting = backlog.value();
    if (waiting.due == 0) return DueFile{};

    const config::BatchSettings &settings = *lane.endpoint->batch;
    DueFile due;
    if (waiting.criticalWaiting)
        due.reason = "a HOLD or CANCEL waits behind one of its records";
    else if (settings.maxRecords > 0 && waiting.due >= settings.maxRecords)
        due.reason =
            std::to_string(waiting.due) + " records wait (max_records " + std::to_string(settings.maxRecords) + ")";
    else if (settings.windowSeconds > 0 &&
             nowMs - waiting.oldestWaitingSinceMs >= std::int64_t{settings.windowSeconds} * 1000)
        due.reason = "its window of " + std::to_string(settings.windowSeconds) + " s closed";
    else
        return DueFile{};

    journal::ClaimQuery query;
    query.nowMs = nowMs;
    query.leaseMs = leaseMs;
    query.limit = settings.maxRecords > 0 ? settings.maxRecords : kMaxRecordsPerFile;
    query.lane = lane.key;
    auto claimed = journal_.claimDue(query);
    if (!claimed) return claimed.error();
    due.claims = std::move(claimed).value();
    // Journal order, so a file reads in the order the records arrived.
    std::sort(due.claims.begin(), due.claims.end(),
              [](const auto &a, const auto &b) { return a.delivery.deliveryId < b.delivery.deliveryId; });
    return due;
}

std::string Batcher::dayOf(std::int64_t unixMs) {
    const std::time_t seconds = static_cast<std::time_t>(unixMs / 1000);
    std::tm utc{};
    ::gmtime_r(&seconds, &utc);
    char text[16];
    std::strftime(text, sizeof text, "%Y-%m-%d", &utc);
    return text;
}

Result<Batcher::File> Batcher::makeFile(const Lane &lane, std::span<const journal::ClaimedDelivery> claims,
                                        std::int64_t nowMs) {
    auto rendered = renderer_.renderFile(claims);
    if (!rendered) return rendered.error();
    RenderedFile &file = rendered.value();
    File out{std::move(file.file), std::move(file.included), std::move(file.refused)};
    if (out.included.empty()) return out;

    auto sequence = journal_.nextFileSequence(lane.key, dayOf(nowMs));
    if (!sequence) return sequence.error();
    const std::string &pattern = lane.endpoint->batch->fileName;
    config::BatchFileNameParts parts{lane.partner->id, lane.key.messageType, nowMs, sequence.value(),
                                     out.message.fileExtension};
    std::string why;
    auto name = config::formatBatchFileName(pattern, parts, why);
    if (!name)
        return Error{std::string(render_errc::kRender),
                     "batch file_name " + pattern + " of partner " + lane.partner->id + ": " + why};
    // Encrypted files keep the .pgp/.asc that says so even when the pattern
    // spells its extension out instead of using {ext}.
    if (pattern.find("{ext}") == std::string::npos && out.message.fileExtension != file.plainExtension)
        *name += out.message.fileExtension.substr(file.plainExtension.size());
    out.message.fileName = *name;
    out.message.messageId = *name;
    return out;
}

}  // namespace lendgate::delivery
