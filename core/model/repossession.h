// Repossession orders to a repo firm and the firm's outcome events.
//
// Minimisation (policy C10) is built into the shape: a debtor has no SSN or
// date-of-birth field at all, so no route can forward one to a repo firm.
#ifndef LENDGATE_MODEL_REPOSSESSION_H
#define LENDGATE_MODEL_REPOSSESSION_H

#include <optional>
#include <string>
#include <vector>

#include "core/model/common.h"

namespace lendgate::model {

/// NEW/UPDATE/CANCEL/CLOSE come from the lender; the gateway itself sends
/// HOLD, RELEASE_HOLD and CANCEL when a policy requires.
enum class AssignmentAction { New, Update, Hold, ReleaseHold, Cancel, Close };
LENDGATE_MODEL_ENUM_NAMES(AssignmentAction, {{AssignmentAction::New, "NEW"},
                                             {AssignmentAction::Update, "UPDATE"},
                                             {AssignmentAction::Hold, "HOLD"},
                                             {AssignmentAction::ReleaseHold, "RELEASE_HOLD"},
                                             {AssignmentAction::Cancel, "CANCEL"},
                                             {AssignmentAction::Close, "CLOSE"}});

enum class OrderType {
    Involuntary,
    Voluntary,
    ImpoundInvoluntary,
    ImpoundVoluntary,
    Investigate,
    InvestigateRepo,
    FieldVisit,
    ConditionReport,
    Transport,
    Store,
    Auction,
};
LENDGATE_MODEL_ENUM_NAMES(OrderType, {{OrderType::Involuntary, "INVOLUNTARY"},
                                      {OrderType::Voluntary, "VOLUNTARY"},
                                      {OrderType::ImpoundInvoluntary, "IMPOUND_INVOLUNTARY"},
                                      {OrderType::ImpoundVoluntary, "IMPOUND_VOLUNTARY"},
                                      {OrderType::Investigate, "INVESTIGATE"},
                                      {OrderType::InvestigateRepo, "INVESTIGATE_REPO"},
                                      {OrderType::FieldVisit, "FIELD_VISIT"},
                                      {OrderType::ConditionReport, "CONDITION_REPORT"},
                                      {OrderType::Transport, "TRANSPORT"},
                                      {OrderType::Store, "STORE"},
                                      {OrderType::Auction, "AUCTION"}});

/// Why an order holds, cancels or closes, so the firm can tell a lender's
/// change of mind from a legal stop.
enum class AssignmentReason {
    LenderRequest,
    Payment,
    Arrangement,
    Hardship,
    Bankruptcy,
    Scra,
    RightToCure,
    Cured,
    PaidOff,
    Dispute,
    Other,
};
LENDGATE_MODEL_ENUM_NAMES(AssignmentReason, {{AssignmentReason::LenderRequest, "LENDER_REQUEST"},
                                             {AssignmentReason::Payment, "PAYMENT"},
                                             {AssignmentReason::Arrangement, "ARRANGEMENT"},
                                             {AssignmentReason::Hardship, "HARDSHIP"},
                                             {AssignmentReason::Bankruptcy, "BANKRUPTCY"},
                                             {AssignmentReason::Scra, "SCRA"},
                                             {AssignmentReason::RightToCure, "RIGHT_TO_CURE"},
                                             {AssignmentReason::Cured, "CURED"},
                                             {AssignmentReason::PaidOff, "PAID_OFF"},
                                             {AssignmentReason::Dispute, "DISPUTE"},
                                             {AssignmentReason::Other, "OTHER"}});

struct Lienholder {
    std::string name;
    std::optional<Phone> phone;
    std::optional<Address> address;

    bool operator==(const Lienholder &) const = default;
};

/// A person on the loan as a repo firm sees them. noContact marks a person
/// the agent must not approach (cease-communication or attorney representation).
struct Debtor {
    PartyRole role = PartyRole::Borrower;
    Name name;
    std::vector<Phone> phones;
    std::vector<Address> addresses;
    std::optional<std::string> language;
    std::optional<bool> noContact;

    bool operator==(const Debtor &) const = default;
};

struct AssignmentAmounts {
    Date asOf;
    std::optional<Decimal> amountPastDue;
    std::optional<Decimal> payoffAmount;
    std::optional<Decimal> reinstatementAmount;

    bool operator==(const AssignmentAmounts &) const = default;
};

/// What the lender attests it checked before ordering (policies C1-C3).
struct Attestations {
    std::optional<std::string> scraCertificateId;
    std::optional<Date> scraCertificateDate;
    std::optional<std::string> courtOrderReference;
    std::optional<Date> rightToCureNoticeDate;
    std::optional<Date> rightToCureExpiryDate;  ///< not before rightToCureNoticeDate
    std::optional<Date> bankruptcyCheckDate;

    bool operator==(const Attestations &) const = default;
};

/// Contact restrictions the firm must honour (policy C9).
struct ContactFlags {
    std::optional<bool> ceaseCommunication;
    std::optional<bool> attorneyRepresented;
    std::optional<bool> dispute;

    bool operator==(const ContactFlags &) const = default;
};

struct SafetyFlags {
    std::optional<bool> threatOfViolence;
    std::optional<bool> weaponsReported;
    std::optional<bool> animalsOnPremises;
    std::optional<std::string> notes;

    bool operator==(const SafetyFlags &) const = default;
};

/// An order about one assignment. NEW requires orderType, collateral and at
/// least one debtor; the other actions need only the assignment id.
struct RepossessionAssignment {
    std::string assignmentId;  ///< the lender's order number, echoed in every outcome
    AssignmentAction action = AssignmentAction::New;
    std::optional<OrderType> orderType;
    std::optional<AssignmentReason> reason;
    std::optional<AccountRef> account;  ///< removed before delivery to a repo firm (C10)
    std::optional<Collateral> collateral;
    std::optional<Lienholder> lienholder;
    std::vector<Debtor> debtors;
    std::optional<AssignmentAmounts> amounts;
    std::optional<Attestations> attestations;
    std::optional<ContactFlags> contactFlags;
    std::optional<SafetyFlags> safetyFlags;
    std::optional<std::string> instructions;
    std::optional<Date> expiryDate;

    bool operator==(const RepossessionAssignment &) const = default;
};

enum class OutcomeEvent {
    Accepted,
    Declined,
    Update,
    Located,
    NotFound,
    Recovered,
    VoluntarySurrender,
    UnableToRecover,
    Redeemed,
    Reinstated,
    ConditionReport,
    PersonalPropertyInventory,
    PersonalPropertyReleased,
    HoldAck,
    CloseAck,
    Closed,
};
LENDGATE_MODEL_ENUM_NAMES(OutcomeEvent, {{OutcomeEvent::Accepted, "ACCEPTED"},
                                         {OutcomeEvent::Declined, "DECLINED"},
                                         {OutcomeEvent::Update, "UPDATE"},
                                         {OutcomeEvent::Located, "LOCATED"},
                                         {OutcomeEvent::NotFound, "NOT_FOUND"},
                                         {OutcomeEvent::Recovered, "RECOVERED"},
                                         {OutcomeEvent::VoluntarySurrender, "VOLUNTARY_SURRENDER"},
                                         {OutcomeEvent::UnableToRecover, "UNABLE_TO_RECOVER"},
                                         {OutcomeEvent::Redeemed, "REDEEMED"},
                                         {OutcomeEvent::Reinstated, "REINSTATED"},
                                         {OutcomeEvent::ConditionReport, "CONDITION_REPORT"},
                                         {OutcomeEvent::PersonalPropertyInventory, "PERSONAL_PROPERTY_INVENTORY"},
                                         {OutcomeEvent::PersonalPropertyReleased, "PERSONAL_PROPERTY_RELEASED"},
                                         {OutcomeEvent::HoldAck, "HOLD_ACK"},
                                         {OutcomeEvent::CloseAck, "CLOSE_ACK"},
                                         {OutcomeEvent::Closed, "CLOSED"}});

enum class LocationType { Residence, Workplace, Street, ParkingLot, Business, Impound, Other };
LENDGATE_MODEL_ENUM_NAMES(LocationType, {{LocationType::Residence, "RESIDENCE"},
                                         {LocationType::Workplace, "WORKPLACE"},
                                         {LocationType::Street, "STREET"},
                                         {LocationType::ParkingLot, "PARKING_LOT"},
                                         {LocationType::Business, "BUSINESS"},
                                         {LocationType::Impound, "IMPOUND"},
                                         {LocationType::Other, "OTHER"}});

enum class RecoveryMethod { TowTruck, WheelLift, Flatbed, DrivenWithKeys, VoluntaryDropOff, Other };
LENDGATE_MODEL_ENUM_NAMES(RecoveryMethod, {{RecoveryMethod::TowTruck, "TOW_TRUCK"},
                                           {RecoveryMethod::WheelLift, "WHEEL_LIFT"},
                                           {RecoveryMethod::Flatbed, "FLATBED"},
                                           {RecoveryMethod::DrivenWithKeys, "DRIVEN_WITH_KEYS"},
                                           {RecoveryMethod::VoluntaryDropOff, "VOLUNTARY_DROP_OFF"},
                                           {RecoveryMethod::Other, "OTHER"}});

struct StorageFacility {
    std::string name;
    std::optional<Address> address;
    std::optional<Phone> phone;

    bool operator==(const StorageFacility &) const = default;
};

/// How the vehicle was taken. The four booleans are required because policy
/// C6 (possible breach of the peace) must never read a missing answer as "no".
struct Recovery {
    LocationType locationType = LocationType::Residence;
    std::optional<Address> address;
    std::optional<RecoveryMethod> method;
    bool debtorPresent = false;
    bool debtorObjected = false;
    bool closedStructureEntered = false;
    bool policeInvolved = false;
    std::optional<std::string> policeReportNumber;
    std::optional<StorageFacility> storageFacility;

    bool operator==(const Recovery &) const = default;
};

enum class DamageArea { Front, Rear, LeftSide, RightSide, Roof, Interior, Glass, Tires, Mechanical, Other };
LENDGATE_MODEL_ENUM_NAMES(DamageArea, {{DamageArea::Front, "FRONT"},
                                       {DamageArea::Rear, "REAR"},
                                       {DamageArea::LeftSide, "LEFT_SIDE"},
                                       {DamageArea::RightSide, "RIGHT_SIDE"},
                                       {DamageArea::Roof, "ROOF"},
                                       {DamageArea::Interior, "INTERIOR"},
                                       {DamageArea::Glass, "GLASS"},
                                       {DamageArea::Tires, "TIRES"},
                                       {DamageArea::Mechanical, "MECHANICAL"},
                                       {DamageArea::Other, "OTHER"}});

enum class DamageSeverity { Minor, Moderate, Severe };
LENDGATE_MODEL_ENUM_NAMES(DamageSeverity, {{DamageSeverity::Minor, "MINOR"},
                                           {DamageSeverity::Moderate, "MODERATE"},
                                           {DamageSeverity::Severe, "SEVERE"}});

struct Damage {
    DamageArea area = DamageArea::Other;
    DamageSeverity severity = DamageSeverity::Minor;
    std::optional<std::string> description;

    bool operator==(const Damage &) const = default;
};

/// A photo, named by the hash of its bytes (the image travels separately).
struct Photo {
    std::string sha256;
    std::optional<Timestamp> takenAt;
    std::optional<std::string> caption;

    bool operator==(const Photo &) const = default;
};

struct VehicleCondition {
    std::optional<int> odometer;  ///< miles, 0..2000000
    std::optional<bool> drivable;
    std::optional<bool> keysRecovered;
    std::vector<Damage> damage;
    std::vector<Photo> photos;

    bool operator==(const VehicleCondition &) const = default;
};

/// An item found in the vehicle. A release conditioned on feeCharged is
/// flagged by policy C7.
struct PropertyItem {
    std::string item;
    int quantity = 1;  ///< 1..10000
    std::optional<std::string> storage;
    std::optional<Date> releaseDate;
    std::optional<Decimal> feeCharged;  ///< not negative

    bool operator==(const PropertyItem &) const = default;
};

enum class InteractionChannel { InPerson, DoorKnock, PhoneCall, TextMessage, Email, Letter, Other };
LENDGATE_MODEL_ENUM_NAMES(InteractionChannel, {{InteractionChannel::InPerson, "IN_PERSON"},
                                               {InteractionChannel::DoorKnock, "DOOR_KNOCK"},
                                               {InteractionChannel::PhoneCall, "PHONE_CALL"},
                                               {InteractionChannel::TextMessage, "TEXT_MESSAGE"},
                                               {InteractionChannel::Email, "EMAIL"},
                                               {InteractionChannel::Letter, "LETTER"},
                                               {InteractionChannel::Other, "OTHER"}});

enum class InteractionParty { Borrower, CoBorrower, Cosigner, Guarantor, ThirdParty, Unknown };
LENDGATE_MODEL_ENUM_NAMES(InteractionParty, {{InteractionParty::Borrower, "BORROWER"},
                                             {InteractionParty::CoBorrower, "CO_BORROWER"},
                                             {InteractionParty::Cosigner, "COSIGNER"},
                                             {InteractionParty::Guarantor, "GUARANTOR"},
                                             {InteractionParty::ThirdParty, "THIRD_PARTY"},
                                             {InteractionParty::Unknown, "UNKNOWN"}});

/// The agent's record of one contact. occurredAt keeps the local offset so
/// policy C9 can check the 08:00-21:00 window in the borrower's time.
/// referralAccepted implies referralOffered.
struct Interaction {
    Timestamp occurredAt;
    InteractionChannel channel = InteractionChannel::InPerson;
    InteractionParty party = InteractionParty::Borrower;
    std::optional<std::string> summary;
    std::vector<NeedCode> statedNeeds;  ///< no repeats
    std::optional<bool> referralOffered;
    std::optional<bool> referralAccepted;
    std::optional<std::string> consentId;

    bool operator==(const Interaction &) const = default;
};

enum class AlertSeverity { Warning, Critical };
LENDGATE_MODEL_ENUM_NAMES(AlertSeverity, {{AlertSeverity::Warning, "warning"}, {AlertSeverity::Critical, "critical"}});

/// An alert a compliance policy raised about the outcome (C5: a RECOVERED
/// after a HOLD or CANCEL was sent, a possible wrongful repossession).
struct ComplianceAlert {
    std::string policyId;  ///< "C5"
    AlertSeverity severity = AlertSeverity::Critical;
    std::string text;

    bool operator==(const ComplianceAlert &) const = default;
};

/// Metro 2 account status: 95 voluntary surrender (J), 96 repossession (K).
enum class Metro2Status { VoluntarySurrender, Repossession };
LENDGATE_MODEL_ENUM_NAMES(Metro2Status, {{Metro2Status::VoluntarySurrender, "95"}, {Metro2Status::Repossession, "96"}});

/// Metro 2 special comments: AZ redeemed or reinstated, AO voluntarily
/// surrendered then redeemed or reinstated, AI recalled to active military duty.
enum class Metro2Comment { Redeemed, SurrenderedThenRedeemed, RecalledToActiveDuty };
LENDGATE_MODEL_ENUM_NAMES(Metro2Comment, {{Metro2Comment::Redeemed, "AZ"},
                                          {Metro2Comment::SurrenderedThenRedeemed, "AO"},
                                          {Metro2Comment::RecalledToActiveDuty, "AI"}});

struct Metro2Codes {
    std::optional<Metro2Status> accountStatus;
    std::optional<Metro2Comment> specialComment;

    bool operator==(const Metro2Codes &) const = default;
};

/// One event on an assignment, reported by the repo firm. When it happened is
/// the envelope's occurred_at. RECOVERED requires recovery, CONDITION_REPORT
/// requires condition and PERSONAL_PROPERTY_RELEASED requires personalProperty.
struct RepossessionOutcome {
    std::string assignmentId;
    OutcomeEvent event = OutcomeEvent::Accepted;
    std::optional<std::string> agentId;
    std::optional<std::string> note;
    std::optional<Recovery> recovery;
    std::optional<VehicleCondition> condition;
    std::vector<PropertyItem> personalProperty;
    std::vector<Interaction> interactions;
    /// Written by the gateway for the lender, never taken from a firm: the
    /// alerts policies raised about this outcome and its Metro 2 codes.
    std::vector<ComplianceAlert> complianceAlerts;
    std::optional<Metro2Codes> metro2;

    bool operator==(const RepossessionOutcome &) const = default;
};

}  // namespace lendgate::model

#endif  // LENDGATE_MODEL_REPOSSESSION_H
