#include "core/journal/audit_chain.h"

#include <algorithm>
#include <charconv>
#include <vector>

#include "core/security/encoding.h"
#include "core/security/hmac.h"

namespace lendgate::journal {
namespace {

constexpr std::string_view kEncodingTag = "lendgate-audit-v1";
// How far from its place an entry that hashes wrong is looked for, to tell a
// reordered entry from an edited one. Only runs once, at the first bad entry.
constexpr std::int64_t kReorderSearch = 1024;

void appendField(std::string &out, std::string_view field) {
    const auto size = static_cast<std::uint64_t>(field.size());
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((size >> shift) & 0xff));
    out.append(field);
}

bool isHexHash(std::string_view text) {
    if (text.size() != 64) return false;
    for (char c : text)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

}  // namespace

std::string auditSha256Hex(std::string_view text) {
    security::Sha256 hash;
    hash.update(text);
    auto digest = hash.finish();
    // An OpenSSL failure here leaves a value no entry can match, so verify
    // reports it instead of an entry silently hashing to something valid.
    if (!digest) return "sha256-unavailable";
    return security::toHex(std::span<const std::uint8_t>(digest.value().data(), digest.value().size()));
}

std::string auditEntryHash(const AuditEntry &entry) {
    std::string encoded;
    encoded.reserve(256);
    appendField(encoded, kEncodingTag);
    appendField(encoded, std::to_string(entry.seq));
    appendField(encoded, std::to_string(entry.atMs));
    appendField(encoded, entry.actor);
    appendField(encoded, entry.action);
    appendField(encoded, entry.target);
    appendField(encoded, entry.detailSha256);
    appendField(encoded, entry.prevHash);
    return auditSha256Hex(encoded);
}

std::optional<AuditAnchor> parseAuditAnchor(std::string_view text) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    AuditAnchor anchor;
    const auto seqText = text.substr(0, colon);
    const auto [end, ec] = std::from_chars(seqText.data(), seqText.data() + seqText.size(), anchor.seq);
    if (ec != std::errc() || end != seqText.data() + seqText.size() || anchor.seq < 1) return std::nullopt;
    anchor.entryHash = std::string(text.substr(colon + 1));
    if (!isHexHash(anchor.entryHash)) return std::nullopt;
    return anchor;
}

void AuditChainVerifier::fail(std::int64_t seq, std::string problem) {
    result_.intact = false;
    result_.firstBadSeq = seq;
    result_.problem = std::move(problem);
}

void AuditChainVerifier::add(const AuditEntry &entry) {
    if (!result_.intact) return;
    ++result_.count;
    const std::int64_t expected = lastSeq_ + 1;
    if (entry.seq < expected) {
        fail(entry.seq, "entry " + std::to_string(entry.seq) + " appears again after entry " +
                            std::to_string(lastSeq_) + " (duplicated or reordered)");
        return;
    }
    if (entry.seq > expected) {
        fail(expected, entry.seq == expected + 1
                           ? "entry " + std::to_string(expected) + " is missing (removed): entry " +
                                 std::to_string(entry.seq) + " follows entry " + std::to_string(lastSeq_)
                           : "entries " + std::to_string(expected) + " to " + std::to_string(entry.seq - 1) +
                                 " are missing (removed): entry " + std::to_string(entry.seq) + " follows entry " +
                                 std::to_string(lastSeq_));
        return;
    }
    if (auditEntryHash(entry) != entry.entryHash) {
        // Written at another seq and moved here (its own columns intact)?
        AuditEntry moved = entry;
        for (std::int64_t other = std::max<std::int64_t>(1, entry.seq - kReorderSearch);
             other <= entry.seq + kReorderSearch; ++other) {
            if (other == entry.seq) continue;
            moved.seq = other;
            if (auditEntryHash(moved) == entry.entryHash) {
                fail(entry.seq, "entry " + std::to_string(entry.seq) + " holds the entry written as seq " +
                                    std::to_string(other) + " (reordered)");
                return;
            }
        }
        fail(entry.seq,
             "entry " + std::to_string(entry.seq) + " was altered: its columns do not hash to its entry_hash");
        return;
    }
    if (entry.prevHash != lastHash_) {
        fail(entry.seq, "entry " + std::to_string(entry.seq) + " does not link to entry " + std::to_string(lastSeq_) +
                            ": its prev_hash is not that entry's hash (an entry was removed, replaced or reordered)");
        return;
    }
    if (anchor_ && entry.seq == anchor_->seq && entry.entryHash != anchor_->entryHash) {
        // A valid chain, but not the one anchored: rewritten from here back.
        fail(entry.seq, "entry " + std::to_string(entry.seq) +
                            " is not the anchored one: its hash differs from the recorded anchor (the chain was "
                            "rewritten)");
        return;
    }
    lastSeq_ = entry.seq;
    lastHash_ = entry.entryHash;
}

AuditVerification AuditChainVerifier::finish() const {
    AuditVerification out = result_;
    out.tipSeq = lastSeq_;
    out.tipHash = lastHash_;
    const auto &anchor = anchor_;
    if (!out.intact || !anchor) return out;
    // lastSeq_ is the tip here: every entry was in order and linked.
    if (anchor->seq > lastSeq_) {
        out.intact = false;
        out.firstBadSeq = lastSeq_ + 1;
        out.problem = "entries " + std::to_string(lastSeq_ + 1) + " to " + std::to_string(anchor->seq) +
                      " are missing (the newest entries were removed): the anchor names entry " +
                      std::to_string(anchor->seq) + " but the chain ends at " + std::to_string(lastSeq_);
    }
    return out;
}

AuditVerification verifyAuditChain(std::span<const AuditEntry> entries, const std::optional<AuditAnchor> &anchor) {
    AuditChainVerifier verifier(anchor);
    for (const auto &entry : entries) {
        verifier.add(entry);
        if (verifier.broken()) break;
    }
    return verifier.finish();
}

}  // namespace lendgate::journal
