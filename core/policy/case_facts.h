// What the journal knows about one case when a policy is evaluated.
//
// The journal builds this from the case's messages (the daemon's job); the
// policies only read it, so they are pure functions of facts, message and
// clock, and a decision can be replayed for an auditor from the same inputs.
#ifndef LENDGATE_POLICY_CASE_FACTS_H
#define LENDGATE_POLICY_CASE_FACTS_H

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/hardship.h"
#include "core/model/lending.h"
#include "core/model/referral.h"
#include "core/model/repossession.h"

namespace lendgate::policy {

/// Why assignments of a case are held (C4). A case's hold is a set of these.
enum class HoldKind {
    HardshipApplication,  ///< from receipt until a decision
    HardshipApproved,     ///< until the decision's repo_hold_until (inclusive)
    Arrangement,          ///< until broken or ended
    PartialPayment,       ///< for partial_payment_hold_days after the payment date
};
std::string_view toString(HoldKind kind) noexcept;
/// The kind named as toString writes it ("HARDSHIP_APPLICATION", ...).
std::optional<HoldKind> holdKindFromString(std::string_view text) noexcept;

struct HoldReason {
    HoldKind kind = HoldKind::HardshipApplication;
    /// Tells reasons of one kind apart: the application id, the arrangement's
    /// type and start date, the payment date.
    std::string key;
    model::Date since;
    std::optional<model::Date> lastDay;  ///< the last day it holds; none: until an event ends it

    bool operator==(const HoldReason &) const = default;
};

/// The reasons in force. RELEASE_HOLD is due only when the set becomes empty.
class HoldSet {
public:
    /// Adds the reason, or replaces the one of the same kind and key.
    void add(HoldReason reason);
    /// Removes the reason of this kind and key; false if there was none.
    bool remove(HoldKind kind, std::string_view key);
    /// Removes every reason of this kind; how many were removed.
    std::size_t removeAll(HoldKind kind);
    /// Removes and returns the reasons whose last day is before `today`.
    std::vector<HoldReason> expire(const model::Date &today);
    const HoldReason *find(HoldKind kind, std::string_view key) const;

    bool empty() const noexcept { return reasons_.empty(); }
    const std::vector<HoldReason> &reasons() const noexcept { return reasons_; }

    bool operator==(const HoldSet &) const = default;

private:
    std::vector<HoldReason> reasons_;
};

/// A repossession order the case has out with a firm.
struct OpenAssignment {
    std::string firm;  ///< partner id
    std::string assignmentId;
    std::optional<model::OrderType> orderType;
};

/// A HOLD, CANCEL or RELEASE_HOLD the gateway sent to a firm, and the firm's
/// acknowledgement (HOLD_ACK or CLOSE_ACK) if one came.
struct ControlSent {
    std::string firm;
    std::string assignmentId;
    model::AssignmentAction action = model::AssignmentAction::Hold;
    model::Timestamp sentAt;
    std::optional<model::Timestamp> ackedAt;
};

/// A consent as recorded: its GRANT and, if one came, its REVOKE.
struct ConsentRecord {
    std::string consentId;
    std::vector<model::NeedCode> scope;
    model::Timestamp capturedAt;
    std::optional<model::Timestamp> expiresAt;
    std::optional<model::Timestamp> revokedAt;

    /// A GRANT as the case records it.
    static ConsentRecord granted(const model::Consent &grant) {
        return {grant.consentId, grant.scope, grant.capturedAt, grant.expiresAt, {}};
    }
};

/// A RECOVERED or VOLUNTARY_SURRENDER and whether its inventory came (C7).
struct RecoveryRecord {
    std::string firm;
    std::string assignmentId;
    model::OutcomeEvent event = model::OutcomeEvent::Recovered;
    model::Timestamp occurredAt;
    std::optional<model::Timestamp> inventoryReceivedAt;
};

/// A referral the gateway made for the case (its id is its message id), and
/// what became of it.
struct ReferralRecord {
    std::string referralId;
    std::string consentId;
    model::NeedCode need = model::NeedCode::FinancialInsecurity;
    std::string partner;
    bool delivered = false;
    bool stopped = false;                         ///< its delivery was cancelled before it went out
    std::optional<model::ReferralStatus> status;  ///< the nonprofit's latest update
};

/// A need the borrower stated that no referral has met yet (no consent
/// covered it then, or no nonprofit served it): a later GRANT covering it
/// makes the referral.
struct StatedNeed {
    model::NeedCode need = model::NeedCode::FinancialInsecurity;
    std::string sourceMessageId;
    model::MessageType sourceType = model::MessageType::RepossessionOutcome;
};

struct CaseFacts {
    // From the latest delinquency notice, with later account updates applied
    // to the flags (a BANKRUPTCY_DISMISSED clears flags.bankruptcy, an
    // SCRA_STATUS replaces flags.scra).
    std::optional<model::Loan> loan;
    model::AccountFlags flags;
    std::vector<model::NoticeSent> noticesSent;
    std::vector<model::PartyRole> partyRoles;  ///< who is on the loan (C3 cosigner notice)
    std::optional<std::string> borrowerState;  ///< USPS code of the borrower's home address (C9 time zone)
    std::optional<std::string> collateralVin;  ///< compared (C12), never recorded
    /// How a nonprofit reaches the borrower (name, phone, language, ZIP), from
    /// the latest notice; used for referrals, never recorded in a decision.
    std::optional<model::ClientContact> borrowerContact;

    std::vector<OpenAssignment> openAssignments;
    std::vector<ControlSent> controlsSent;
    HoldSet holds;  ///< C4 reasons in force before the message
    std::vector<ConsentRecord> consents;
    std::vector<ReferralRecord> referrals;
    std::vector<StatedNeed> unmetNeeds;
    std::vector<RecoveryRecord> recoveries;
    /// C8: the latest DISPOSITION notice the lender's notices list as sent.
    std::optional<model::Date> dispositionNoticeSent;

    /// Facts a case has right after its notice (the notice's arrangements
    /// become hold reasons only through evaluateMessage()).
    static CaseFacts fromNotice(const model::DelinquencyNotice &notice);

    /// A referral for this need went out or waits to, and the nonprofit has
    /// not turned it down, cancelled it or failed it.
    bool hasLiveReferral(model::NeedCode need) const;

    /// The firms holding an open assignment, each once, in order.
    std::vector<std::string> firmsWithOpenAssignments() const;
};

}  // namespace lendgate::policy

#endif  // LENDGATE_POLICY_CASE_FACTS_H
