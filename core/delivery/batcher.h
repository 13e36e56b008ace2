// Batch files for file destinations (a directory or sftp_push endpoint with
// "batch" settings in the partner's profile).
//
// A lane is one destination's deliveries of one message type. Its records
// stay pending in the journal (nothing is held in memory, so a restart loses
// nothing) until the lane's file is due:
//   - the longest-waiting record has waited window_seconds (a record waits
//     from when it became pending, or from when the record ahead of it in its
//     case was delivered), or
//   - max_records records wait (the file then holds that many), or
//   - a HOLD or CANCEL waits behind one of them: the file leaves at once, so
//     the earlier record of that case goes out first and order per case holds.
// Then every due record of the lane is claimed and rendered as one file by
// the partner's plugin (one header, one trailer), named from the pattern with
// the next sequence number the journal hands out. Each record keeps its own
// delivery: the file's success marks all of them delivered, its failure
// retries each (same schedule for all, so they travel together again) or
// dead-letters it under the usual policy. A HOLD or CANCEL is never batched:
// the ordinary claim takes it the moment it heads its queue, and it leaves
// alone, in a file of its own under the same name pattern.
//
// The journal hands out only queue heads, so a case has at most one record in
// a file; its next record goes in a later one.
#ifndef LENDGATE_DELIVERY_BATCHER_H
#define LENDGATE_DELIVERY_BATCHER_H

#include <cstdint>
#include <deque>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "core/common/log.h"
#include "core/common/result.h"
#include "core/config/gateway_config.h"
#include "core/delivery/renderer.h"
#include "core/journal/journal.h"

namespace lendgate::delivery {

/// Most records in one file (the journal's limit for a lane claim).
inline constexpr std::uint32_t kMaxRecordsPerFile = 50000;

class Batcher {
public:
    struct Lane {
        journal::BatchLane key;
        const config::Partner *partner = nullptr;
        const config::Endpoint *endpoint = nullptr;  ///< has batch settings
    };

    /// A lane's file, claimed and ready to render.
    struct DueFile {
        std::vector<journal::ClaimedDelivery> claims;  ///< in journal order
        std::string reason;                            ///< why it leaves now, for the log
    };

    /// A file ready to send: the records that made it, and those left out.
    struct File {
        OutboundMessage message;  ///< fileName set
        std::vector<std::size_t> included;
        std::vector<std::pair<std::size_t, Error>> refused;
    };

    /// Lanes for every batching endpoint of `destinations` (the push
    /// destinations), for the types it carries that the partner binds to a
    /// plugin. Everything passed must outlive the batcher.
    Batcher(journal::Journal &journal, const config::GatewayConfig &config, Renderer &renderer,
            const std::vector<std::string> &destinations);

    const std::vector<Lane> &lanes() const { return lanes_; }
    /// The lanes as the journal names them (ClaimQuery::batchedLanes).
    const std::vector<journal::BatchLane> &laneKeys() const { return laneKeys_; }
    /// The lane a delivery travels in, or nullptr when it goes out alone as usual.
    const Lane *laneOf(const journal::DeliveryInfo &delivery) const;

    /// Claims lane `index`'s file if it is due now; no claims when it is not,
    /// or while another worker is claiming for the same lane.
    Result<DueFile> claimIfDue(std::size_t index, std::int64_t nowMs, std::int64_t leaseMs);

    /// Renders `claims` (all of `lane`) into one file and names it: the
    /// pattern filled in with the date of `nowMs` and the lane's next
    /// sequence number for that UTC day. A number is never used twice, even
    /// if this file is never sent.
    Result<File> makeFile(const Lane &lane, std::span<const journal::ClaimedDelivery> claims, std::int64_t nowMs);

    /// "YYYY-MM-DD" (UTC): the day a file's sequence number belongs to.
    static std::string dayOf(std::int64_t unixMs);

private:
    journal::Journal &journal_;
    Renderer &renderer_;
    std::vector<Lane> lanes_;
    std::vector<journal::BatchLane> laneKeys_;
    std::deque<std::mutex> claiming_;  // one per lane
};

}  // namespace lendgate::delivery

#endif  // LENDGATE_DELIVERY_BATCHER_H
