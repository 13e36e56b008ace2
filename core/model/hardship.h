// The hardship application a borrower makes through a lender or servicer, and
// the servicer's decision on it. Either one holds every open repossession
// assignment of the case while it stands (policy C4).
#ifndef LENDGATE_MODEL_HARDSHIP_H
#define LENDGATE_MODEL_HARDSHIP_H

#include <optional>
#include <string>
#include <vector>

#include "core/model/lending.h"

namespace lendgate::model {

enum class HardshipChannel { Phone, Web, Mail, Email, InPerson, MobileApp, Other };
LENDGATE_MODEL_ENUM_NAMES(HardshipChannel, {{HardshipChannel::Phone, "PHONE"},
                                            {HardshipChannel::Web, "WEB"},
                                            {HardshipChannel::Mail, "MAIL"},
                                            {HardshipChannel::Email, "EMAIL"},
                                            {HardshipChannel::InPerson, "IN_PERSON"},
                                            {HardshipChannel::MobileApp, "MOBILE_APP"},
                                            {HardshipChannel::Other, "OTHER"}});

enum class HardshipIntent { Keep, VoluntarySurrender, Sell, Undecided };
LENDGATE_MODEL_ENUM_NAMES(HardshipIntent, {{HardshipIntent::Keep, "KEEP"},
                                           {HardshipIntent::VoluntarySurrender, "VOLUNTARY_SURRENDER"},
                                           {HardshipIntent::Sell, "SELL"},
                                           {HardshipIntent::Undecided, "UNDECIDED"}});

enum class HardshipReason {
    Unemployment,
    IncomeReduction,
    ExpenseIncrease,
    DivorceSeparation,
    Death,
    DisabilityIllness,
    Disaster,
    EmploymentTransfer,
    BusinessFailure,
    MilitaryService,
    VehicleRepair,
    Other,
};
LENDGATE_MODEL_ENUM_NAMES(HardshipReason, {{HardshipReason::Unemployment, "UNEMPLOYMENT"},
                                           {HardshipReason::IncomeReduction, "INCOME_REDUCTION"},
                                           {HardshipReason::ExpenseIncrease, "EXPENSE_INCREASE"},
                                           {HardshipReason::DivorceSeparation, "DIVORCE_SEPARATION"},
                                           {HardshipReason::Death, "DEATH"},
                                           {HardshipReason::DisabilityIllness, "DISABILITY_ILLNESS"},
                                           {HardshipReason::Disaster, "DISASTER"},
                                           {HardshipReason::EmploymentTransfer, "EMPLOYMENT_TRANSFER"},
                                           {HardshipReason::BusinessFailure, "BUSINESS_FAILURE"},
                                           {HardshipReason::MilitaryService, "MILITARY_SERVICE"},
                                           {HardshipReason::VehicleRepair, "VEHICLE_REPAIR"},
                                           {HardshipReason::Other, "OTHER"}});

/// How long the borrower expects the hardship to last (short term: under six months).
enum class HardshipDuration { ShortTerm, LongTerm, Permanent, Unknown };
LENDGATE_MODEL_ENUM_NAMES(HardshipDuration, {{HardshipDuration::ShortTerm, "SHORT_TERM"},
                                             {HardshipDuration::LongTerm, "LONG_TERM"},
                                             {HardshipDuration::Permanent, "PERMANENT"},
                                             {HardshipDuration::Unknown, "UNKNOWN"}});

/// The workout a borrower asks for, and the one a servicer approves.
enum class ResolutionOption {
    Extension,
    Deferral,
    DueDateChange,
    RepaymentPlan,
    Modification,
    VoluntarySurrender,
    Settlement,
};
LENDGATE_MODEL_ENUM_NAMES(ResolutionOption, {{ResolutionOption::Extension, "EXTENSION"},
                                             {ResolutionOption::Deferral, "DEFERRAL"},
                                             {ResolutionOption::DueDateChange, "DUE_DATE_CHANGE"},
                                             {ResolutionOption::RepaymentPlan, "REPAYMENT_PLAN"},
                                             {ResolutionOption::Modification, "MODIFICATION"},
                                             {ResolutionOption::VoluntarySurrender, "VOLUNTARY_SURRENDER"},
                                             {ResolutionOption::Settlement, "SETTLEMENT"}});

enum class IncomeType {
    Wages,
    SelfEmployment,
    UnemploymentBenefits,
    SocialSecurity,
    Disability,
    Pension,
    ChildSupportAlimony,
    Military,
    Rental,
    PublicAssistance,
    Other,
};
LENDGATE_MODEL_ENUM_NAMES(IncomeType, {{IncomeType::Wages, "WAGES"},
                                       {IncomeType::SelfEmployment, "SELF_EMPLOYMENT"},
                                       {IncomeType::UnemploymentBenefits, "UNEMPLOYMENT_BENEFITS"},
                                       {IncomeType::SocialSecurity, "SOCIAL_SECURITY"},
                                       {IncomeType::Disability, "DISABILITY"},
                                       {IncomeType::Pension, "PENSION"},
                                       {IncomeType::ChildSupportAlimony, "CHILD_SUPPORT_ALIMONY"},
                                       {IncomeType::Military, "MILITARY"},
                                       {IncomeType::Rental, "RENTAL"},
                                       {IncomeType::PublicAssistance, "PUBLIC_ASSISTANCE"},
                                       {IncomeType::Other, "OTHER"}});

enum class ExpenseType {
    Housing,
    Utilities,
    Food,
    Transportation,
    VehiclePayment,
    Insurance,
    Medical,
    ChildCare,
    ChildSupportAlimony,
    DebtPayments,
    Other,
};
LENDGATE_MODEL_ENUM_NAMES(ExpenseType, {{ExpenseType::Housing, "HOUSING"},
                                        {ExpenseType::Utilities, "UTILITIES"},
                                        {ExpenseType::Food, "FOOD"},
                                        {ExpenseType::Transportation, "TRANSPORTATION"},
                                        {ExpenseType::VehiclePayment, "VEHICLE_PAYMENT"},
                                        {ExpenseType::Insurance, "INSURANCE"},
                                        {ExpenseType::Medical, "MEDICAL"},
                                        {ExpenseType::ChildCare, "CHILD_CARE"},
                                        {ExpenseType::ChildSupportAlimony, "CHILD_SUPPORT_ALIMONY"},
                                        {ExpenseType::DebtPayments, "DEBT_PAYMENTS"},
                                        {ExpenseType::Other, "OTHER"}});

enum class AssetType { Checking, Savings, Retirement, Investment, RealEstate, Vehicle, Other };
LENDGATE_MODEL_ENUM_NAMES(AssetType, {{AssetType::Checking, "CHECKING"},
                                      {AssetType::Savings, "SAVINGS"},
                                      {AssetType::Retirement, "RETIREMENT"},
                                      {AssetType::Investment, "INVESTMENT"},
                                      {AssetType::RealEstate, "REAL_ESTATE"},
                                      {AssetType::Vehicle, "VEHICLE"},
                                      {AssetType::Other, "OTHER"}});

enum class DocumentType {
    PayStub,
    BankStatement,
    TaxReturn,
    BenefitsLetter,
    UnemploymentNotice,
    MedicalRecord,
    DeathCertificate,
    MilitaryOrders,
    DisasterDeclaration,
    HardshipLetter,
    Other,
};
LENDGATE_MODEL_ENUM_NAMES(DocumentType, {{DocumentType::PayStub, "PAY_STUB"},
                                         {DocumentType::BankStatement, "BANK_STATEMENT"},
                                         {DocumentType::TaxReturn, "TAX_RETURN"},
                                         {DocumentType::BenefitsLetter, "BENEFITS_LETTER"},
                                         {DocumentType::UnemploymentNotice, "UNEMPLOYMENT_NOTICE"},
                                         {DocumentType::MedicalRecord, "MEDICAL_RECORD"},
                                         {DocumentType::DeathCertificate, "DEATH_CERTIFICATE"},
                                         {DocumentType::MilitaryOrders, "MILITARY_ORDERS"},
                                         {DocumentType::DisasterDeclaration, "DISASTER_DECLARATION"},
                                         {DocumentType::HardshipLetter, "HARDSHIP_LETTER"},
                                         {DocumentType::Other, "OTHER"}});

/// Monthly amounts, not negative.
struct Income {
    IncomeType type = IncomeType::Wages;
    Decimal amount;

    bool operator==(const Income &) const = default;
};

struct Expense {
    ExpenseType type = ExpenseType::Housing;
    Decimal amount;

    bool operator==(const Expense &) const = default;
};

struct Asset {
    AssetType type = AssetType::Checking;
    Decimal value;

    bool operator==(const Asset &) const = default;
};

/// A supporting document, named by its content hash only: file names often
/// carry the borrower's name.
struct Document {
    DocumentType type = DocumentType::PayStub;
    std::string sha256;

    bool operator==(const Document &) const = default;
};

struct HardshipApplication {
    AccountRef account;
    std::string applicationId;
    Timestamp submittedAt;
    HardshipChannel channel = HardshipChannel::Phone;
    HardshipIntent intent = HardshipIntent::Keep;
    std::vector<HardshipReason> reasons;  ///< required, no repeats
    std::optional<HardshipDuration> duration;
    std::optional<Date> hardshipStartDate;
    std::optional<std::string> narrative;  ///< the borrower's own words: sensitive, never logged
    std::optional<int> householdSize;      ///< 1..30
    std::vector<Income> monthlyIncome;
    std::vector<Expense> monthlyExpenses;
    std::vector<Asset> assets;
    ResolutionOption requestedOption = ResolutionOption::Extension;
    std::vector<Document> documents;
    std::optional<Consent> consent;  ///< recorded by the gateway as a consent message of its own

    bool operator==(const HardshipApplication &) const = default;
};

enum class HardshipStatus { Received, Incomplete, UnderReview, Approved, Denied, Withdrawn };
LENDGATE_MODEL_ENUM_NAMES(HardshipStatus, {{HardshipStatus::Received, "RECEIVED"},
                                           {HardshipStatus::Incomplete, "INCOMPLETE"},
                                           {HardshipStatus::UnderReview, "UNDER_REVIEW"},
                                           {HardshipStatus::Approved, "APPROVED"},
                                           {HardshipStatus::Denied, "DENIED"},
                                           {HardshipStatus::Withdrawn, "WITHDRAWN"}});

/// The status of an application. APPROVED requires approvedOption;
/// repoHoldUntil is the last day of the repossession hold it grants.
struct HardshipDecision {
    AccountRef account;
    std::string applicationId;
    HardshipStatus status = HardshipStatus::Received;
    std::optional<ResolutionOption> approvedOption;
    std::optional<Date> effectiveStartDate;
    std::optional<Date> effectiveEndDate;  ///< not before effectiveStartDate
    std::optional<Date> repoHoldUntil;
    std::vector<DocumentType> missingDocuments;  ///< for INCOMPLETE, no repeats
    std::optional<std::string> reason;

    bool operator==(const HardshipDecision &) const = default;
};

}  // namespace lendgate::model

#endif  // LENDGATE_MODEL_HARDSHIP_H
