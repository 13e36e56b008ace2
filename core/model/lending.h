// Payloads that lenders and servicers exchange about a loan: the delinquency
// notice that opens a case, later account updates, and the borrower's consent
// to referrals. Shapes and wire names: sdk/schemas/README.md.
#ifndef LENDGATE_MODEL_LENDING_H
#define LENDGATE_MODEL_LENDING_H

#include <optional>
#include <string>
#include <vector>

#include "core/model/common.h"

namespace lendgate::model {

enum class Product { AutoRic, AutoLoan, AutoLease, Motorcycle, Rv, Other };
LENDGATE_MODEL_ENUM_NAMES(Product, {{Product::AutoRic, "AUTO_RIC"},
                                    {Product::AutoLoan, "AUTO_LOAN"},
                                    {Product::AutoLease, "AUTO_LEASE"},
                                    {Product::Motorcycle, "MOTORCYCLE"},
                                    {Product::Rv, "RV"},
                                    {Product::Other, "OTHER"}});

// DISPOSITION: the notice of a planned sale of the recovered vehicle
// (UCC 9-611 and 9-614), which an auction order waits for (C8).
enum class NoticeType { RightToCure, Default, RepossessionIntent, Disposition, Other };
LENDGATE_MODEL_ENUM_NAMES(NoticeType, {{NoticeType::RightToCure, "RIGHT_TO_CURE"},
                                       {NoticeType::Default, "DEFAULT"},
                                       {NoticeType::RepossessionIntent, "REPOSSESSION_INTENT"},
                                       {NoticeType::Disposition, "DISPOSITION"},
                                       {NoticeType::Other, "OTHER"}});

enum class ArrangementType { Promise, Extension, Deferral, RepaymentPlan };
LENDGATE_MODEL_ENUM_NAMES(ArrangementType, {{ArrangementType::Promise, "PROMISE"},
                                            {ArrangementType::Extension, "EXTENSION"},
                                            {ArrangementType::Deferral, "DEFERRAL"},
                                            {ArrangementType::RepaymentPlan, "REPAYMENT_PLAN"}});

enum class ArrangementStatus { Active, Kept, Broken, Ended };
LENDGATE_MODEL_ENUM_NAMES(ArrangementStatus, {{ArrangementStatus::Active, "ACTIVE"},
                                              {ArrangementStatus::Kept, "KEPT"},
                                              {ArrangementStatus::Broken, "BROKEN"},
                                              {ArrangementStatus::Ended, "ENDED"}});

enum class ScraStatus { Active, NotActive, Future, Unknown };
LENDGATE_MODEL_ENUM_NAMES(ScraStatus, {{ScraStatus::Active, "ACTIVE"},
                                       {ScraStatus::NotActive, "NOT_ACTIVE"},
                                       {ScraStatus::Future, "FUTURE"},
                                       {ScraStatus::Unknown, "UNKNOWN"}});

struct Loan {
    std::optional<std::string> accountNumber;  ///< exactly one of accountNumber and accountToken
    std::optional<std::string> accountToken;
    Product product = Product::AutoRic;
    std::optional<Date> contractDate;
    std::optional<Date> firstPaymentDate;  ///< not before contractDate
    std::string governingState;

    bool operator==(const Loan &) const = default;
};

struct Party {
    PartyRole role = PartyRole::Borrower;
    Name name;
    std::vector<Phone> phones;
    std::vector<Address> addresses;
    std::optional<std::string> language;  ///< BCP 47
    std::optional<std::string> ssn;
    std::optional<Date> dateOfBirth;
    std::optional<std::string> email;

    bool operator==(const Party &) const = default;
};

struct Payment {
    Date date;
    Decimal amount;  ///< not negative

    bool operator==(const Payment &) const = default;
};

struct NoticeSent {
    NoticeType type = NoticeType::RightToCure;
    Date sentDate;
    std::optional<Date> cureDeadline;  ///< not before sentDate
    std::optional<bool> cosignersNotified;

    bool operator==(const NoticeSent &) const = default;
};

struct Arrangement {
    ArrangementType type = ArrangementType::Promise;
    Date startDate;
    std::optional<Date> endDate;  ///< not before startDate
    std::optional<Decimal> amount;
    std::optional<ArrangementStatus> status;

    bool operator==(const Arrangement &) const = default;
};

struct Bankruptcy {
    int chapter = 7;  ///< 7, 11, 12 or 13
    std::optional<Date> filedDate;
    std::optional<std::string> caseNumber;

    bool operator==(const Bankruptcy &) const = default;
};

struct ScraInfo {
    ScraStatus status = ScraStatus::Unknown;
    std::optional<std::string> certificateId;
    std::optional<Timestamp> checkedAt;
    std::optional<Date> activeDutyStart;

    bool operator==(const ScraInfo &) const = default;
};

struct AccountFlags {
    std::optional<Bankruptcy> bankruptcy;
    std::optional<ScraInfo> scra;
    std::optional<bool> ceaseCommunication;
    std::optional<bool> attorneyRepresented;
    std::optional<bool> dispute;
    std::optional<bool> disaster;

    bool operator==(const AccountFlags &) const = default;
};

/// Opens (or updates) a delinquency case. At least one party is a BORROWER.
struct DelinquencyNotice {
    Loan loan;
    std::vector<Party> parties;  ///< required
    Collateral collateral;
    Date asOf;
    int daysPastDue = 0;    ///< 0..10000
    Decimal amountPastDue;  ///< not negative
    std::optional<Decimal> balance;
    std::optional<Decimal> payoffAmount;
    std::optional<Payment> lastPayment;
    std::vector<NoticeSent> noticesSent;
    std::vector<Arrangement> arrangements;
    std::optional<AccountFlags> flags;

    bool operator==(const DelinquencyNotice &) const = default;
};

enum class AccountEvent {
    PaymentPosted,
    ArrangementMade,
    ArrangementKept,
    ArrangementBroken,
    BankruptcyFiled,
    BankruptcyDismissed,
    BankruptcyDischarged,
    ScraStatusChanged,
    Cured,
    PaidOff,
    Closed,
};
LENDGATE_MODEL_ENUM_NAMES(AccountEvent, {{AccountEvent::PaymentPosted, "PAYMENT_POSTED"},
                                         {AccountEvent::ArrangementMade, "ARRANGEMENT_MADE"},
                                         {AccountEvent::ArrangementKept, "ARRANGEMENT_KEPT"},
                                         {AccountEvent::ArrangementBroken, "ARRANGEMENT_BROKEN"},
                                         {AccountEvent::BankruptcyFiled, "BANKRUPTCY_FILED"},
                                         {AccountEvent::BankruptcyDismissed, "BANKRUPTCY_DISMISSED"},
                                         {AccountEvent::BankruptcyDischarged, "BANKRUPTCY_DISCHARGED"},
                                         {AccountEvent::ScraStatusChanged, "SCRA_STATUS"},
                                         {AccountEvent::Cured, "CURED"},
                                         {AccountEvent::PaidOff, "PAID_OFF"},
                                         {AccountEvent::Closed, "CLOSED"}});

/// One change on the account since the notice. The detail object that the
/// event names is required: payment for PAYMENT_POSTED, arrangement for
/// ARRANGEMENT_*, bankruptcy for BANKRUPTCY_*, scra for SCRA_STATUS.
struct AccountUpdate {
    AccountRef account;
    AccountEvent event = AccountEvent::PaymentPosted;
    Date effectiveDate;
    std::optional<Payment> payment;
    std::optional<Arrangement> arrangement;
    std::optional<Bankruptcy> bankruptcy;
    std::optional<ScraInfo> scra;
    std::optional<int> daysPastDue;
    std::optional<Decimal> amountPastDue;
    std::optional<Decimal> balance;

    bool operator==(const AccountUpdate &) const = default;
};

enum class ConsentAction { Grant, Revoke };
LENDGATE_MODEL_ENUM_NAMES(ConsentAction, {{ConsentAction::Grant, "GRANT"}, {ConsentAction::Revoke, "REVOKE"}});

enum class ConsentMethod { Written, VerbalRecorded, Electronic };
LENDGATE_MODEL_ENUM_NAMES(ConsentMethod, {{ConsentMethod::Written, "WRITTEN"},
                                          {ConsentMethod::VerbalRecorded, "VERBAL_RECORDED"},
                                          {ConsentMethod::Electronic, "ELECTRONIC"}});

enum class CapturerRole { Lender, Servicer, RepoAgent };
LENDGATE_MODEL_ENUM_NAMES(CapturerRole, {{CapturerRole::Lender, "LENDER"},
                                         {CapturerRole::Servicer, "SERVICER"},
                                         {CapturerRole::RepoAgent, "REPO_AGENT"}});

struct ConsentCapturer {
    CapturerRole role = CapturerRole::Lender;
    std::optional<std::string> agentId;
    std::optional<std::string> agentName;

    bool operator==(const ConsentCapturer &) const = default;
};

/// A borrower's consent to be referred, or its revocation. consentId names
/// the consent: a REVOKE carries the id of the GRANT it withdraws. The case is
/// found from the envelope's case_id, the account or the assignment.
struct Consent {
    std::string consentId;
    ConsentAction action = ConsentAction::Grant;
    std::optional<AccountRef> account;
    std::optional<std::string> assignmentId;
    std::optional<PartyRole> partyRole;
    std::vector<NeedCode> scope;  ///< required, no repeats
    Timestamp capturedAt;
    ConsentCapturer capturedBy;
    ConsentMethod method = ConsentMethod::Written;
    std::optional<std::string> evidenceSha256;  ///< of the signed form or call recording
    std::optional<Timestamp> expiresAt;         ///< after capturedAt

    bool operator==(const Consent &) const = default;
};

}  // namespace lendgate::model

#endif  // LENDGATE_MODEL_LENDING_H
