// Referrals the gateway derives for a nonprofit partner, and the nonprofit's
// status updates. A referral carries no account or balance data (policy C10)
// and cites the consent that allows it (policy C11).
#ifndef LENDGATE_MODEL_REFERRAL_H
#define LENDGATE_MODEL_REFERRAL_H

#include <optional>
#include <string>

#include "core/model/common.h"
#include "core/model/envelope.h"

namespace lendgate::model {

enum class Urgency { Routine, Urgent, Crisis };
LENDGATE_MODEL_ENUM_NAMES(Urgency,
                          {{Urgency::Routine, "ROUTINE"}, {Urgency::Urgent, "URGENT"}, {Urgency::Crisis, "CRISIS"}});

enum class BestTime { Morning, Afternoon, Evening, Anytime };
LENDGATE_MODEL_ENUM_NAMES(BestTime, {{BestTime::Morning, "MORNING"},
                                     {BestTime::Afternoon, "AFTERNOON"},
                                     {BestTime::Evening, "EVENING"},
                                     {BestTime::Anytime, "ANYTIME"}});

/// The message a referral was derived from (usually a repossession outcome
/// whose interaction recorded a stated need).
struct SourceEvent {
    MessageType messageType = MessageType::RepossessionOutcome;
    std::optional<std::string> messageId;  ///< ULID

    bool operator==(const SourceEvent &) const = default;
};

/// The nonprofit's service, by Open Referral HSDS identifiers.
struct ServiceTarget {
    std::string organizationId;
    std::optional<std::string> serviceId;
    std::optional<std::string> locationId;
    std::optional<std::string> taxonomyCode;

    bool operator==(const ServiceTarget &) const = default;
};

/// How the nonprofit reaches the person; postal code and county place them
/// in a service area.
struct ClientContact {
    Name name;
    std::optional<Phone> phone;
    std::optional<std::string> language;  ///< BCP 47
    std::optional<BestTime> bestTime;
    std::optional<std::string> postalCode;
    std::optional<std::string> county;

    bool operator==(const ClientContact &) const = default;
};

struct Referral {
    std::string referralId;
    SourceEvent sourceEvent;
    std::string consentId;  ///< a granted, unrevoked consent whose scope covers `need`
    NeedCode need = NeedCode::FinancialInsecurity;
    ServiceTarget target;
    ClientContact client;
    Urgency urgency = Urgency::Routine;

    bool operator==(const Referral &) const = default;
};

/// FHIR SDOH referral task statuses, spelled as FHIR spells them.
enum class ReferralStatus { Requested, Accepted, Rejected, InProgress, OnHold, Completed, Cancelled, Failed };
LENDGATE_MODEL_ENUM_NAMES(ReferralStatus, {{ReferralStatus::Requested, "requested"},
                                           {ReferralStatus::Accepted, "accepted"},
                                           {ReferralStatus::Rejected, "rejected"},
                                           {ReferralStatus::InProgress, "in-progress"},
                                           {ReferralStatus::OnHold, "on-hold"},
                                           {ReferralStatus::Completed, "completed"},
                                           {ReferralStatus::Cancelled, "cancelled"},
                                           {ReferralStatus::Failed, "failed"}});

struct ReferralUpdate {
    std::string referralId;
    ReferralStatus status = ReferralStatus::Requested;
    std::optional<std::string> reason;
    std::optional<std::string> outcomeNote;  ///< for the nonprofit's own record; not forwarded to lenders

    bool operator==(const ReferralUpdate &) const = default;
};

}  // namespace lendgate::model

#endif  // LENDGATE_MODEL_REFERRAL_H
