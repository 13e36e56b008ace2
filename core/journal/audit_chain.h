// The tamper-evident audit chain (G14): who read or changed what, as a hash
// chain in the journal.
//
// Each entry carries the hash of the one before it, and its own hash covers
// every column, so editing, deleting or reordering an entry breaks the chain
// at that entry. Entries name ids (message, case, partner, delivery) and carry
// only a SHA-256 of any detail: the chain holds no personal values and can be
// shown to an auditor as it is.
//
// What a chain alone cannot show is its newest entries being cut off (the
// shorter chain is still valid). An operator who records the count and tip
// hash verify prints elsewhere (an anchor) can check that too.
//
// Storage-agnostic: no database or JSON type appears here.
#ifndef LENDGATE_JOURNAL_AUDIT_CHAIN_H
#define LENDGATE_JOURNAL_AUDIT_CHAIN_H

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace lendgate::journal {

/// What happened, as a caller reports it. `detail` is hashed, never stored.
struct AuditRecord {
    std::string actor;      ///< "cli:USER", "admin:TOKEN_ID", "partner:PARTNER_ID"
    std::string action;     ///< e.g. "admin.read_message", "cli.replay"
    std::string target;     ///< an id, never a personal value; may be empty
    std::string detail;     ///< context (query, folder, counts); only its SHA-256 is kept
    std::int64_t atMs = 0;  ///< 0: the journal's clock
};

/// One stored entry of the chain.
struct AuditEntry {
    std::int64_t seq = 0;  ///< 1, 2, 3, ... without gaps
    std::int64_t atMs = 0;
    std::string actor;
    std::string action;
    std::string target;
    std::string detailSha256;  ///< hex
    std::string prevHash;      ///< hex; kAuditGenesisHash for seq 1
    std::string entryHash;     ///< hex
};

/// prev_hash of the first entry.
inline constexpr std::string_view kAuditGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

/// SHA-256 (hex) of `text`.
std::string auditSha256Hex(std::string_view text);

/// The hash an entry must carry: SHA-256 over a versioned, length-prefixed
/// encoding of seq, at_ms, actor, action, target, detail_sha256 and
/// prev_hash (entry_hash itself is not an input). Length prefixes keep
/// ("ab", "c") and ("a", "bc") apart.
std::string auditEntryHash(const AuditEntry &entry);

/// A count and tip hash an operator recorded outside the journal.
struct AuditAnchor {
    std::int64_t seq = 0;
    std::string entryHash;
};

/// "SEQ:HASH" as verify prints it; nullopt if malformed.
std::optional<AuditAnchor> parseAuditAnchor(std::string_view text);

struct AuditVerification {
    bool intact = true;
    std::int64_t count = 0;        ///< entries found
    std::int64_t tipSeq = 0;       ///< the newest entry's seq (0: empty chain)
    std::string tipHash;           ///< its entry_hash (kAuditGenesisHash when empty)
    std::int64_t firstBadSeq = 0;  ///< set when !intact
    std::string problem;           ///< what is wrong there; names seqs, never values
};

/// Walks the chain incrementally, entries in seq order, and stops at the
/// first bad one (an altered column, a missing seq, a broken link, or an
/// entry moved to another seq). Feeding stops mattering once it is broken.
class AuditChainVerifier {
public:
    /// With an anchor, the anchored entry must still be there with the
    /// recorded hash.
    explicit AuditChainVerifier(std::optional<AuditAnchor> anchor = std::nullopt) : anchor_(std::move(anchor)) {}
    void add(const AuditEntry &entry);
    /// The result after the last entry.
    AuditVerification finish() const;
    bool broken() const { return !result_.intact; }

private:
    void fail(std::int64_t seq, std::string problem);

    std::optional<AuditAnchor> anchor_;
    AuditVerification result_;
    std::string lastHash_{kAuditGenesisHash};
    std::int64_t lastSeq_ = 0;
};

/// Convenience over AuditChainVerifier for entries already in memory.
AuditVerification verifyAuditChain(std::span<const AuditEntry> entries, const std::optional<AuditAnchor> &anchor);

}  // namespace lendgate::journal

#endif  // LENDGATE_JOURNAL_AUDIT_CHAIN_H
