#include "core/journal/retention.h"

#include "core/journal/purge_ledger.h"

namespace lendgate::journal {

Result<PurgeSummary> purgeExpired(Journal &journal, BlobStore *blobs, const std::filesystem::path &keyDir,
                                  const PurgeRequest &request) {
    if (request.retentionDays < 0) return Error{"invalid_argument", "the retention period cannot be negative"};
    constexpr std::int64_t kDayMs = 24LL * 60 * 60 * 1000;
    PurgeSummary summary;
    summary.cutoffMs = request.nowMs - request.retentionDays * kDayMs;
    auto expired = journal.findExpired(summary.cutoffMs);
    if (!expired) return expired.error();
    summary.cases = expired.value().cases;
    if (request.dryRun) {
        summary.messagesErased = expired.value().messages;
        summary.blobsPurged = static_cast<std::int64_t>(expired.value().blobIds.size());
        return summary;
    }
    for (const std::string &blobId : expired.value().blobIds) {
        if (auto recorded = recordPurge(keyDir, blobId, request.nowMs); !recorded) return recorded.error();
        if (auto destroyed = journal.purgeBlobKey(blobId, request.nowMs); !destroyed) return destroyed.error();
        ++summary.blobsPurged;
        // The key is gone, so the file is noise; one left behind is swept later.
        if (blobs != nullptr) (void)blobs->purge(blobId);
    }
    if (expired.value().messages > 0) {
        if (auto recorded = recordErasure(keyDir, summary.cutoffMs, request.nowMs); !recorded) return recorded.error();
        auto erased = journal.erasePersonalData(summary.cutoffMs);
        if (!erased) return erased.error();
        summary.messagesErased = erased.value();
    }
    AuditRecord audit;
    audit.actor = request.actor;
    audit.action = "retention.purge";
    audit.detail = "cutoff_ms=" + std::to_string(summary.cutoffMs) + " cases=" + std::to_string(summary.cases) +
                   " messages=" + std::to_string(summary.messagesErased) +
                   " blobs=" + std::to_string(summary.blobsPurged);
    audit.atMs = request.nowMs;
    if (auto appended = journal.appendAudit(audit); !appended) return appended.error();
    return summary;
}

}  // namespace lendgate::journal
