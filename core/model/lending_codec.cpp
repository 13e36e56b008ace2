// Wire descriptions of lending.h and hardship.h. Keep the order of each
// description equal to the struct's member order: it is the canonical order.
#include <algorithm>
#include <array>

#include "core/model/detail/common_fields.h"
#include "core/model/detail/payload_codec.h"

namespace lendgate::model::detail {

// Descriptions stay in namespace detail (not an unnamed namespace): the
// generic reader finds them by argument-dependent lookup.

template <class V, Of<Loan> S>
void fields(V &v, S &x) {
    v("account_number", x.accountNumber, kAccountNumber);
    v("account_token", x.accountToken, kAccountToken);
    v("product", x.product);
    v("contract_date", x.contractDate);
    v("first_payment_date", x.firstPaymentDate);
    v("governing_state", x.governingState, kStateCode);
}

static void crossCheck(ObjectReader &reader, const Loan &x) {
    requireOneAccountId(reader);
    requireNotBefore(reader, "contract_date", x.contractDate, "first_payment_date", x.firstPaymentDate);
}

template <class V, Of<Party> S>
void fields(V &v, S &x) {
    v("role", x.role);
    v("name", x.name);
    v("phones", x.phones, kPhones);
    v("addresses", x.addresses, kAddresses);
    v("language", x.language, kLanguage);
    v("ssn", x.ssn, kSsn);
    v("date_of_birth", x.dateOfBirth);
    v("email", x.email, kEmail);
}

template <class V, Of<Payment> S>
void fields(V &v, S &x) {
    v("date", x.date);
    v("amount", x.amount, kNonNegativeAmount);
}

template <class V, Of<NoticeSent> S>
void fields(V &v, S &x) {
    v("type", x.type);
    v("sent_date", x.sentDate);
    v("cure_deadline", x.cureDeadline);
    v("cosigners_notified", x.cosignersNotified);
}

static void crossCheck(ObjectReader &reader, const NoticeSent &x) {
    requireNotBefore(reader, "sent_date", x.sentDate, "cure_deadline", x.cureDeadline);
}

template <class V, Of<Arrangement> S>
void fields(V &v, S &x) {
    v("type", x.type);
    v("start_date", x.startDate);
    v("end_date", x.endDate);
    v("amount", x.amount, kNonNegativeAmount);
    v("status", x.status);
}

static void crossCheck(ObjectReader &reader, const Arrangement &x) {
    requireNotBefore(reader, "start_date", x.startDate, "end_date", x.endDate);
}

constexpr std::array<std::int64_t, 4> kBankruptcyChapters = {7, 11, 12, 13};

template <class V, Of<Bankruptcy> S>
void fields(V &v, S &x) {
    v("chapter", x.chapter, IntChoice{kBankruptcyChapters, "7, 11, 12, 13"});
    v("filed_date", x.filedDate);
    v("case_number", x.caseNumber, kIdentifier);
}

template <class V, Of<ScraInfo> S>
void fields(V &v, S &x) {
    v("status", x.status);
    v("certificate_id", x.certificateId, kIdentifier);
    v("checked_at", x.checkedAt);
    v("active_duty_start", x.activeDutyStart);
}

template <class V, Of<AccountFlags> S>
void fields(V &v, S &x) {
    v("bankruptcy", x.bankruptcy);
    v("scra", x.scra);
    v("cease_communication", x.ceaseCommunication);
    v("attorney_represented", x.attorneyRepresented);
    v("dispute", x.dispute);
    v("disaster", x.disaster);
}

template <class V, Of<DelinquencyNotice> S>
void fields(V &v, S &x) {
    v("loan", x.loan);
    v("parties", x.parties, List{10, true});
    v("collateral", x.collateral);
    v("as_of", x.asOf);
    v("days_past_due", x.daysPastDue, IntRange{0, 10000});
    v("amount_past_due", x.amountPastDue, kNonNegativeAmount);
    v("balance", x.balance, kAnyAmount);
    v("payoff_amount", x.payoffAmount, kNonNegativeAmount);
    v("last_payment", x.lastPayment);
    v("notices_sent", x.noticesSent, List{50});
    v("arrangements", x.arrangements, List{50});
    v("flags", x.flags);
}

static void crossCheck(ObjectReader &reader, const DelinquencyNotice &x) {
    if (!reader.isValid("parties")) return;
    const bool hasBorrower =
        std::any_of(x.parties.begin(), x.parties.end(), [](const Party &p) { return p.role == PartyRole::Borrower; });
    if (!hasBorrower) reader.fail("parties", "borrower_required", "must include a party with role BORROWER");
}

template <class V, Of<AccountUpdate> S>
void fields(V &v, S &x) {
    v("account", x.account);
    v("event", x.event);
    v("effective_date", x.effectiveDate);
    v("payment", x.payment);
    v("arrangement", x.arrangement);
    v("bankruptcy", x.bankruptcy);
    v("scra", x.scra);
    v("days_past_due", x.daysPastDue, IntRange{0, 10000});
    v("amount_past_due", x.amountPastDue, kNonNegativeAmount);
    v("balance", x.balance, kAnyAmount);
}

static void crossCheck(ObjectReader &reader, const AccountUpdate &x) {
    if (!reader.isValid("event")) return;
    const std::string because = "event is " + std::string(toString(x.event));
    switch (x.event) {
        case AccountEvent::PaymentPosted: requireWhen(reader, true, "payment", because); break;
        case AccountEvent::ArrangementMade:
        case AccountEvent::ArrangementKept:
        case AccountEvent::ArrangementBroken: requireWhen(reader, true, "arrangement", because); break;
        case AccountEvent::BankruptcyFiled:
        case AccountEvent::BankruptcyDismissed:
        case AccountEvent::BankruptcyDischarged: requireWhen(reader, true, "bankruptcy", because); break;
        case AccountEvent::ScraStatusChanged: requireWhen(reader, true, "scra", because); break;
        case AccountEvent::Cured:
        case AccountEvent::PaidOff:
        case AccountEvent::Closed: break;
    }
}

template <class V, Of<ConsentCapturer> S>
void fields(V &v, S &x) {
    v("role", x.role);
    v("agent_id", x.agentId, kIdentifier);
    v("agent_name", x.agentName, kNamePart);
}

template <class V, Of<Consent> S>
void fields(V &v, S &x) {
    v("consent_id", x.consentId, kIdentifier);
    v("action", x.action);
    v("account", x.account);
    v("assignment_id", x.assignmentId, kIdentifier);
    v("party_role", x.partyRole);
    v("scope", x.scope, List{6, true, true});
    v("captured_at", x.capturedAt);
    v("captured_by", x.capturedBy);
    v("method", x.method);
    v("evidence_sha256", x.evidenceSha256, kSha256);
    v("expires_at", x.expiresAt);
}

static void crossCheck(ObjectReader &reader, const Consent &x) {
    requireNotBefore(reader, "captured_at", x.capturedAt, "expires_at", x.expiresAt);
}

template <class V, Of<Income> S>
void fields(V &v, S &x) {
    v("type", x.type);
    v("amount", x.amount, kNonNegativeAmount);
}

template <class V, Of<Expense> S>
void fields(V &v, S &x) {
    v("type", x.type);
    v("amount", x.amount, kNonNegativeAmount);
}

template <class V, Of<Asset> S>
void fields(V &v, S &x) {
    v("type", x.type);
    v("value", x.value, kNonNegativeAmount);
}

template <class V, Of<Document> S>
void fields(V &v, S &x) {
    v("type", x.type);
    v("sha256", x.sha256, kSha256);
}

template <class V, Of<HardshipApplication> S>
void fields(V &v, S &x) {
    v("account", x.account);
    v("application_id", x.applicationId, kIdentifier);
    v("submitted_at", x.submittedAt);
    v("channel", x.channel);
    v("intent", x.intent);
    v("reasons", x.reasons, List{12, true, true});
    v("duration", x.duration);
    v("hardship_start_date", x.hardshipStartDate);
    v("narrative", x.narrative, kNarrative);
    v("household_size", x.householdSize, IntRange{1, 30});
    v("monthly_income", x.monthlyIncome, List{30});
    v("monthly_expenses", x.monthlyExpenses, List{30});
    v("assets", x.assets, List{30});
    v("requested_option", x.requestedOption);
    v("documents", x.documents, List{50});
    v("consent", x.consent);
}

template <class V, Of<HardshipDecision> S>
void fields(V &v, S &x) {
    v("account", x.account);
    v("application_id", x.applicationId, kIdentifier);
    v("status", x.status);
    v("approved_option", x.approvedOption);
    v("effective_start_date", x.effectiveStartDate);
    v("effective_end_date", x.effectiveEndDate);
    v("repo_hold_until", x.repoHoldUntil);
    v("missing_documents", x.missingDocuments, List{11, false, true});
    v("reason", x.reason, kLongText);
}

static void crossCheck(ObjectReader &reader, const HardshipDecision &x) {
    requireWhen(reader, reader.isValid("status") && x.status == HardshipStatus::Approved, "approved_option",
                "status is APPROVED");
    requireNotBefore(reader, "effective_start_date", x.effectiveStartDate, "effective_end_date", x.effectiveEndDate);
}

void readPayload(ObjectReader &reader, DelinquencyNotice &out) {
    readObject(reader, out);
}
void readPayload(ObjectReader &reader, AccountUpdate &out) {
    readObject(reader, out);
}
void readPayload(ObjectReader &reader, Consent &out) {
    readObject(reader, out);
}
void readPayload(ObjectReader &reader, HardshipApplication &out) {
    readObject(reader, out);
}
void readPayload(ObjectReader &reader, HardshipDecision &out) {
    readObject(reader, out);
}
void writePayload(JsonWriter &writer, const DelinquencyNotice &in) {
    encode(writer, in);
}
void writePayload(JsonWriter &writer, const AccountUpdate &in) {
    encode(writer, in);
}
void writePayload(JsonWriter &writer, const Consent &in) {
    encode(writer, in);
}
void writePayload(JsonWriter &writer, const HardshipApplication &in) {
    encode(writer, in);
}
void writePayload(JsonWriter &writer, const HardshipDecision &in) {
    encode(writer, in);
}

}  // namespace lendgate::model::detail
