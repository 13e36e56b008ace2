// Wire descriptions of repossession.h. Keep the order of each description
// equal to the struct's member order: it is the canonical order.
#include "core/model/detail/common_fields.h"
#include "core/model/detail/payload_codec.h"

namespace lendgate::model::detail {

template <class V, Of<Lienholder> S>
void fields(V &v, S &x) {
    v("name", x.name, kShortText);
    v("phone", x.phone);
    v("address", x.address);
}

// No ssn or date_of_birth here, on purpose: a repo firm never receives them
// (policy C10), so a record carrying them is refused as unknown fields.
template <class V, Of<Debtor> S>
void fields(V &v, S &x) {
    v("role", x.role);
    v("name", x.name);
    v("phones", x.phones, kPhones);
    v("addresses", x.addresses, kAddresses);
    v("language", x.language, kLanguage);
    v("no_contact", x.noContact);
}

template <class V, Of<AssignmentAmounts> S>
void fields(V &v, S &x) {
    v("as_of", x.asOf);
    v("amount_past_due", x.amountPastDue, kNonNegativeAmount);
    v("payoff_amount", x.payoffAmount, kNonNegativeAmount);
    v("reinstatement_amount", x.reinstatementAmount, kNonNegativeAmount);
}

template <class V, Of<Attestations> S>
void fields(V &v, S &x) {
    v("scra_certificate_id", x.scraCertificateId, kIdentifier);
    v("scra_certificate_date", x.scraCertificateDate);
    v("court_order_reference", x.courtOrderReference, kIdentifier);
    v("right_to_cure_notice_date", x.rightToCureNoticeDate);
    v("right_to_cure_expiry_date", x.rightToCureExpiryDate);
    v("bankruptcy_check_date", x.bankruptcyCheckDate);
}

static void crossCheck(ObjectReader &reader, const Attestations &x) {
    requireNotBefore(reader, "right_to_cure_notice_date", x.rightToCureNoticeDate, "right_to_cure_expiry_date",
                     x.rightToCureExpiryDate);
}

template <class V, Of<ContactFlags> S>
void fields(V &v, S &x) {
    v("cease_communication", x.ceaseCommunication);
    v("attorney_represented", x.attorneyRepresented);
    v("dispute", x.dispute);
}

template <class V, Of<SafetyFlags> S>
void fields(V &v, S &x) {
    v("threat_of_violence", x.threatOfViolence);
    v("weapons_reported", x.weaponsReported);
    v("animals_on_premises", x.animalsOnPremises);
    v("notes", x.notes, kLongText);
}

template <class V, Of<RepossessionAssignment> S>
void fields(V &v, S &x) {
    v("assignment_id", x.assignmentId, kIdentifier);
    v("action", x.action);
    v("order_type", x.orderType);
    v("reason", x.reason);
    v("account", x.account);
    v("collateral", x.collateral);
    v("lienholder", x.lienholder);
    v("debtors", x.debtors, List{10});
    v("amounts", x.amounts);
    v("attestations", x.attestations);
    v("contact_flags", x.contactFlags);
    v("safety_flags", x.safetyFlags);
    v("instructions", x.instructions, kLongText);
    v("expiry_date", x.expiryDate);
}

static void crossCheck(ObjectReader &reader, const RepossessionAssignment &x) {
    const bool isNew = reader.isValid("action") && x.action == AssignmentAction::New;
    requireWhen(reader, isNew, "order_type", "action is NEW");
    requireWhen(reader, isNew, "collateral", "action is NEW");
    requireWhen(reader, isNew, "debtors", "action is NEW");
}

template <class V, Of<StorageFacility> S>
void fields(V &v, S &x) {
    v("name", x.name, kShortText);
    v("address", x.address);
    v("phone", x.phone);
}

template <class V, Of<Recovery> S>
void fields(V &v, S &x) {
    v("location_type", x.locationType);
    v("address", x.address);
    v("method", x.method);
    v("debtor_present", x.debtorPresent);
    v("debtor_objected", x.debtorObjected);
    v("closed_structure_entered", x.closedStructureEntered);
    v("police_involved", x.policeInvolved);
    v("police_report_number", x.policeReportNumber, kIdentifier);
    v("storage_facility", x.storageFacility);
}

template <class V, Of<Damage> S>
void fields(V &v, S &x) {
    v("area", x.area);
    v("severity", x.severity);
    v("description", x.description, kShortText);
}

template <class V, Of<Photo> S>
void fields(V &v, S &x) {
    v("sha256", x.sha256, kSha256);
    v("taken_at", x.takenAt);
    v("caption", x.caption, kShortText);
}

template <class V, Of<VehicleCondition> S>
void fields(V &v, S &x) {
    v("odometer", x.odometer, IntRange{0, 2000000});
    v("drivable", x.drivable);
    v("keys_recovered", x.keysRecovered);
    v("damage", x.damage, List{50});
    v("photos", x.photos, List{200});
}

template <class V, Of<PropertyItem> S>
void fields(V &v, S &x) {
    v("item", x.item, kShortText);
    v("quantity", x.quantity, IntRange{1, 10000});
    v("storage", x.storage, kShortText);
    v("release_date", x.releaseDate);
    v("fee_charged", x.feeCharged, kNonNegativeAmount);
}

template <class V, Of<Interaction> S>
void fields(V &v, S &x) {
    v("occurred_at", x.occurredAt);
    v("channel", x.channel);
    v("party", x.party);
    v("summary", x.summary, kLongText);
    v("stated_needs", x.statedNeeds, kNeeds);
    v("referral_offered", x.referralOffered);
    v("referral_accepted", x.referralAccepted);
    v("consent_id", x.consentId, kIdentifier);
}

static void crossCheck(ObjectReader &reader, const Interaction &x) {
    if (!x.referralAccepted.value_or(false)) return;
    requireWhen(reader, true, "referral_offered", "referral_accepted is true");
    if (x.referralOffered == false)
        reader.fail("referral_offered", "inconsistent", "must be true when referral_accepted is true");
}

template <class V, Of<ComplianceAlert> S>
void fields(V &v, S &x) {
    v("policy_id", x.policyId, kIdentifier);
    v("severity", x.severity);
    v("text", x.text, kLongText);
}

template <class V, Of<Metro2Codes> S>
void fields(V &v, S &x) {
    v("account_status", x.accountStatus);
    v("special_comment", x.specialComment);
}

template <class V, Of<RepossessionOutcome> S>
void fields(V &v, S &x) {
    v("assignment_id", x.assignmentId, kIdentifier);
    v("event", x.event);
    v("agent_id", x.agentId, kIdentifier);
    v("note", x.note, kLongText);
    v("recovery", x.recovery);
    v("condition", x.condition);
    v("personal_property", x.personalProperty, List{200});
    v("interactions", x.interactions, List{200});
    v("compliance_alerts", x.complianceAlerts, List{20});
    v("metro2", x.metro2);
}

static void crossCheck(ObjectReader &reader, const RepossessionOutcome &x) {
    if (!reader.isValid("event")) return;
    const std::string because = "event is " + std::string(toString(x.event));
    requireWhen(reader, x.event == OutcomeEvent::Recovered, "recovery", because);
    requireWhen(reader, x.event == OutcomeEvent::ConditionReport, "condition", because);
    requireWhen(reader, x.event == OutcomeEvent::PersonalPropertyReleased, "personal_property", because);
}

void readPayload(ObjectReader &reader, RepossessionAssignment &out) {
    readObject(reader, out);
}
void readPayload(ObjectReader &reader, RepossessionOutcome &out) {
    readObject(reader, out);
}
void writePayload(JsonWriter &writer, const RepossessionAssignment &in) {
    encode(writer, in);
}
void writePayload(JsonWriter &writer, const RepossessionOutcome &in) {
    encode(writer, in);
}

}  // namespace lendgate::model::detail
