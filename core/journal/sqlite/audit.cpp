// The audit chain's SQLite part: append under the write lock, list, verify.
#include <algorithm>
#include <limits>

#include "core/journal/sqlite/rows.h"
#include "core/journal/sqlite/sqlite_journal_impl.h"

namespace lendgate::journal::sqlite {
namespace {

using namespace Poco::Data::Keywords;

constexpr std::size_t kMaxAuditPage = 1000;
// Verify reads the chain in pages of this many entries, so memory stays flat
// however long the chain is.
constexpr Poco::Int64 kVerifyPage = 2000;
constexpr std::size_t kMaxFieldLength = 200;

struct AuditRows {
    // CAST: an attacker may store another type in a column; verify then
    // sees the value the hash would have to match, not an extraction error.
    static constexpr const char *kColumns =
        "seq, CAST(at_ms AS INTEGER), CAST(actor AS TEXT), CAST(action AS TEXT), CAST(target AS TEXT), "
        "CAST(detail_sha256 AS TEXT), CAST(prev_hash AS TEXT), CAST(entry_hash AS TEXT)";

    Int64s seq, atMs;
    Texts actor, action, target, detail, prev, hash;

    void attach(Statement &statement) {
        statement, into(seq), into(atMs), into(actor), into(action), into(target), into(detail), into(prev), into(hash);
    }
    std::size_t size() const { return seq.size(); }
    AuditEntry row(std::size_t i) const {
        return AuditEntry{seq[i], atMs[i], actor[i], action[i], target[i], detail[i], prev[i], hash[i]};
    }
};

// Callers pass ids, not free text; this only keeps a stray control character
// or an oversized value out of a chain that is printed to terminals. (Not
// redactForLog: it would mask digit runs inside ULIDs and delivery ids.)
std::string plainField(std::string_view text) {
    std::string out(text.substr(0, kMaxFieldLength));
    for (char &c : out)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    return out;
}

Error invalid(std::string message) {
    return Error{std::string(errc::kInvalidArgument), std::move(message)};
}

}  // namespace

Result<AuditEntry> SqliteJournal::appendAudit(const AuditRecord &record) {
    if (record.actor.empty() || record.action.empty()) return invalid("an audit entry needs an actor and an action");
    AuditEntry entry;
    entry.actor = plainField(record.actor);
    entry.action = plainField(record.action);
    entry.target = plainField(record.target);
    entry.detailSha256 = auditSha256Hex(record.detail);
    entry.atMs = nowOr(record.atMs);
    return write<AuditEntry>("append audit entry", [&](Session &session) -> Result<AuditEntry> {
        Int64s tipSeq;
        Texts tipHash;
        session << "SELECT seq, entry_hash FROM audit_chain ORDER BY seq DESC LIMIT 1", into(tipSeq), into(tipHash),
            now;
        entry.seq = tipSeq.empty() ? 1 : tipSeq[0] + 1;
        entry.prevHash = tipHash.empty() ? std::string(kAuditGenesisHash) : tipHash[0];
        entry.entryHash = auditEntryHash(entry);
        Poco::Int64 seq = entry.seq, at = entry.atMs;
        session << "INSERT INTO audit_chain (seq, at_ms, actor, action, target, detail_sha256, prev_hash, entry_hash) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            use(seq), use(at), use(entry.actor), use(entry.action), use(entry.target), use(entry.detailSha256),
            use(entry.prevHash), use(entry.entryHash), now;
        return entry;
    });
}

Result<std::vector<AuditEntry>> SqliteJournal::listAudit(const AuditQuery &query) {
    using Out = std::vector<AuditEntry>;
    return read<Out>("list audit entries", [&](Session &session) -> Result<Out> {
        Poco::Int64 since = query.sinceMs, after = query.afterSeq;
        Poco::Int64 limit = static_cast<Poco::Int64>(std::clamp<std::size_t>(query.limit, 1, kMaxAuditPage));
        AuditRows rows;
        Statement statement(session);
        statement << "SELECT " << AuditRows::kColumns
                  << " FROM audit_chain WHERE seq > ? AND at_ms >= ? ORDER BY seq LIMIT ?",
            use(after), use(since), use(limit);
        rows.attach(statement);
        statement.execute();
        Out out;
        out.reserve(rows.size());
        for (std::size_t i = 0; i < rows.size(); ++i) out.push_back(rows.row(i));
        return out;
    });
}

Result<AuditVerification> SqliteJournal::verifyAudit(const std::optional<AuditAnchor> &anchor) {
    return read<AuditVerification>("verify audit chain", [&](Session &session) -> Result<AuditVerification> {
        ReadTransaction snapshot(session);  // one state of the chain, however long the walk
        AuditChainVerifier verifier(anchor);
        // Below any seq, so an edited seq of 0 or less is still seen.
        Poco::Int64 after = std::numeric_limits<Poco::Int64>::min();
        for (;;) {
            AuditRows rows;
            Poco::Int64 page = kVerifyPage;
            Statement statement(session);
            statement << "SELECT " << AuditRows::kColumns << " FROM audit_chain WHERE seq > ? ORDER BY seq LIMIT ?",
                use(after), use(page);
            rows.attach(statement);
            statement.execute();
            for (std::size_t i = 0; i < rows.size() && !verifier.broken(); ++i) verifier.add(rows.row(i));
            if (verifier.broken() || rows.size() < static_cast<std::size_t>(kVerifyPage)) break;
            after = rows.seq.back();
        }
        return verifier.finish();
    });
}

}  // namespace lendgate::journal::sqlite
