// The field vault: SSN, date of birth and account number are journaled only
// sealed, each bound to its message, place and owner, and come back only for
// the lender whose data they are (C10).
#include "core/privacy/field_vault.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "core/config/gateway_config.h"
#include "core/intake/account_tokens.h"
#include "core/journal/sqlite/sqlite_journal.h"
#include "core/model/roles.h"
#include "core/security/tokenizer.h"
#include "tests/core/security/security_test_support.h"

namespace lendgate::privacy {
namespace {

using lendgate::testing::ManualClock;
using lendgate::testing::TempDir;

constexpr const char *kLender = "desert-valley-bank";
constexpr const char *kMessageId = "01JMSG00000000000000000001";
constexpr const char *kCase = "01JCASE0000000000000000001";

model::Message golden(const std::string &name) {
    std::ifstream in(std::string(LENDGATE_MODEL_GOLDEN_DIR) + "/valid/" + name + ".json");
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = model::parseMessage(text.str());
    if (!parsed.ok()) throw std::runtime_error(name + " does not parse");
    return std::move(*parsed.message);
}

config::Partner partner(const std::string &id, model::PartnerRole role) {
    config::Partner p;
    p.id = id;
    p.role = role;
    return p;
}

class FieldVaultTest : public ::testing::Test {
protected:
    void SetUp() override {
        ring_ = lendgate::testing::makeKeyRing(dir_, clock_);
        tokenizer_.emplace(security::AccountTokenizer::create(*ring_).value());
        journal::SqliteJournalOptions options;
        options.path = dir_ / "journal.db";
        journal_ = std::move(journal::openSqliteJournal(options, clock_).value());
        vault_.emplace(*ring_, *tokenizer_, journal_.get());
    }

    /// The notice as intake leaves it: tokens set, personal fields sealed.
    std::pair<model::Message, std::string> sealedNotice(const std::string &messageId = kMessageId) {
        model::Message notice = golden("delinquency_notice_full");
        auto &loan = std::get<model::DelinquencyNotice>(notice.payload).loan;
        loan.accountToken = tokenizer_->token(kLender, *loan.accountNumber).value();
        auto sealed = vault_->seal(notice, messageId, kLender);
        EXPECT_TRUE(sealed.ok()) << sealed.error().message;
        return {notice, sealed.value()};
    }

    /// Journals `sealed` as message `messageId` of kCase.
    void journal(const std::string &messageId, const std::string &body, const std::string &sealed) {
        journal::IntakeRecord record;
        record.recordNumber = 1;
        record.messageType = "delinquency_notice";
        record.idempotencyKey = "key-" + messageId;
        record.caseId = kCase;
        record.messageId = messageId;
        record.body = body;
        record.sealedFields = sealed;
        journal::IntakeBatch batch;
        batch.sender = kLender;
        batch.idempotencyKey = "req-" + messageId;
        batch.channel = "http";
        batch.bodyHash = "h-" + messageId;
        batch.records.push_back(record);
        batch.buildResult = [](const journal::AcceptedBatch &) { return std::string("ack"); };
        auto accepted = journal_->accept(batch);
        ASSERT_TRUE(accepted.ok()) << accepted.error().message;
    }

    TempDir dir_;
    ManualClock clock_;
    std::unique_ptr<security::KeyRing> ring_;
    std::optional<security::AccountTokenizer> tokenizer_;
    std::unique_ptr<journal::Journal> journal_;
    std::optional<FieldVault> vault_;
};

TEST_F(FieldVaultTest, SealingLeavesNoClearValueInTheBodyOrTheSealedFields) {
    auto [notice, sealed] = sealedNotice();
    const std::string body = model::toCanonicalJson(notice);
    for (const std::string clear : {"4400182263", "900-55-0142", "900550142", "1988-09-03"}) {
        EXPECT_EQ(body.find(clear), std::string::npos) << clear;
        EXPECT_EQ(sealed.find(clear), std::string::npos) << clear;
    }
    EXPECT_NE(body.find("account_token"), std::string::npos) << "the token stays for matching";

    auto opened = vault_->open(sealed, kMessageId);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    EXPECT_EQ(opened.value().owner, kLender);
    ASSERT_EQ(opened.value().fields.size(), 3u);
    EXPECT_EQ(opened.value().fields[1].value, "900-55-0142");
}

TEST_F(FieldVaultTest, AValueOpensOnlyForItsOwnMessagePlaceAndOwner) {
    auto [notice, sealed] = sealedNotice();
    auto otherMessage = vault_->open(sealed, "01JMSG00000000000000000002");
    ASSERT_FALSE(otherMessage.ok());
    EXPECT_EQ(otherMessage.error().code, "decrypt_failed");
    EXPECT_EQ(otherMessage.error().message.find("900-55-0142"), std::string::npos);

    std::string moved = sealed;
    moved.replace(moved.find("/payload/parties/0/ssn"), 22, "/payload/parties/1/ssn");
    EXPECT_EQ(vault_->open(moved, kMessageId).error().code, "decrypt_failed");

    std::string stolen = sealed;
    stolen.replace(stolen.find(kLender), std::string(kLender).size(), "saguaro-fcu");
    EXPECT_EQ(vault_->open(stolen, kMessageId).error().code, "decrypt_failed")
        << "another lender cannot claim the fields";

    EXPECT_EQ(vault_->open("{\"version\":1}", kMessageId).error().code, "malformed");
}

TEST_F(FieldVaultTest, OnlyTheOwningLenderGetsTheFieldsBack) {
    auto [stripped, sealed] = sealedNotice();
    const model::Message original = golden("delinquency_notice_full");
    {
        model::Message copy = stripped;
        auto restored =
            vault_->restoreFor(partner(kLender, model::PartnerRole::Lender), copy, kMessageId, sealed, kCase);
        ASSERT_TRUE(restored.ok()) << restored.error().message;
        EXPECT_EQ(restored.value(), 3);
        EXPECT_EQ(copy, original);
    }
    const std::vector<config::Partner> others = {partner("saguaro-fcu", model::PartnerRole::Lender),
                                                 partner("copper-state-lossmit", model::PartnerRole::Servicer),
                                                 partner("valley-recovery", model::PartnerRole::RepoFirm),
                                                 partner("sonoran-family-services", model::PartnerRole::Nonprofit)};
    for (const auto &other : others) {
        model::Message copy = stripped;
        auto restored = vault_->restoreFor(other, copy, kMessageId, sealed, kCase);
        ASSERT_TRUE(restored.ok()) << other.id;
        EXPECT_EQ(restored.value(), 0) << other.id;
        const std::string rendered = model::toCanonicalJson(copy);
        EXPECT_EQ(rendered.find("4400182263"), std::string::npos) << other.id;
        EXPECT_EQ(rendered.find("900-55-0142"), std::string::npos) << other.id;
    }
}

TEST_F(FieldVaultTest, ATokenOnlyMessageReachesTheLenderWithTheNumberItsCaseKept) {
    auto [notice, sealed] = sealedNotice();
    journal(kMessageId, model::toCanonicalJson(notice), sealed);

    model::Message decision = golden("hardship_decision_approved");
    auto &account = std::get<model::HardshipDecision>(decision.payload).account;
    account.accountNumber.reset();
    account.accountToken = tokenizer_->token(kLender, "4400182263").value();
    const model::Message tokenOnly = decision;

    const auto lender = partner(kLender, model::PartnerRole::Lender);
    auto restored = vault_->restoreFor(lender, decision, "01JMSG00000000000000000009", "", kCase);
    ASSERT_TRUE(restored.ok()) << restored.error().message;
    EXPECT_EQ(restored.value(), 1);
    EXPECT_EQ(account.accountNumber, "4400182263");
    EXPECT_FALSE(account.accountToken);

    // The servicer that sent it keeps working from the token.
    model::Message forServicer = tokenOnly;
    EXPECT_EQ(vault_
                  ->restoreFor(partner("copper-state-lossmit", model::PartnerRole::Servicer), forServicer,
                               "01JMSG00000000000000000009", "", kCase)
                  .value(),
              0);
    EXPECT_EQ(forServicer, tokenOnly);

    // A token of another account (the case's number was corrected since) is
    // never given this number.
    model::Message other = tokenOnly;
    std::get<model::HardshipDecision>(other.payload).account.accountToken =
        tokenizer_->token(kLender, "4400999999").value();
    EXPECT_EQ(vault_->restoreFor(lender, other, "01JMSG00000000000000000009", "", kCase).value(), 0);
    EXPECT_FALSE(std::get<model::HardshipDecision>(other.payload).account.accountNumber);
}

TEST_F(FieldVaultTest, TheNewestKeptNumberOfTheCaseWins) {
    auto [first, firstSealed] = sealedNotice("01JMSG00000000000000000001");
    journal("01JMSG00000000000000000001", model::toCanonicalJson(first), firstSealed);
    model::Message corrected = golden("delinquency_notice_full");
    auto &loan = std::get<model::DelinquencyNotice>(corrected.payload).loan;
    loan.accountNumber = "4400555555";
    loan.accountToken = tokenizer_->token(kLender, "4400555555").value();
    auto correctedSealed = vault_->seal(corrected, "01JMSG00000000000000000002", kLender);
    ASSERT_TRUE(correctedSealed.ok());
    journal("01JMSG00000000000000000002", model::toCanonicalJson(corrected), correctedSealed.value());

    model::Message decision = golden("hardship_decision_approved");
    auto &account = std::get<model::HardshipDecision>(decision.payload).account;
    account.accountNumber.reset();
    account.accountToken = tokenizer_->token(kLender, "4400555555").value();
    ASSERT_EQ(vault_
                  ->restoreFor(partner(kLender, model::PartnerRole::Lender), decision, "01JMSG00000000000000000009", "",
                               kCase)
                  .value(),
              1);
    EXPECT_EQ(account.accountNumber, "4400555555");
}

// C10, for every message type the model has a golden of and every role that
// may receive it: what each destination's rendered copy holds.
TEST_F(FieldVaultTest, EveryMessageTypeRenderedForEveryRoleHoldsOnlyWhatTheRoleMaySee) {
    const std::vector<std::pair<config::Partner, bool>> destinations = {
        {partner(kLender, model::PartnerRole::Lender), true},
        {partner("saguaro-fcu", model::PartnerRole::Lender), false},
        {partner("copper-state-lossmit", model::PartnerRole::Servicer), false},
        {partner("valley-recovery", model::PartnerRole::RepoFirm), false},
        {partner("sonoran-family-services", model::PartnerRole::Nonprofit), false}};
    int rendered = 0;
    for (const auto &entry : std::filesystem::directory_iterator(std::string(LENDGATE_MODEL_GOLDEN_DIR) + "/valid")) {
        if (entry.path().extension() != ".json") continue;
        const std::string name = entry.path().stem().string();
        model::Message original = golden(name);
        // As intake leaves it: every account number has its token beside it.
        ASSERT_TRUE(intake::tokenizeAccounts(original, kLender, *tokenizer_).ok()) << name;
        std::vector<std::string> personal;
        model::Message probe = original;
        for (const auto &field : model::takePersonalFields(probe)) personal.push_back(field.value);
        model::Message stripped = original;
        auto sealed = vault_->seal(stripped, kMessageId, kLender);
        ASSERT_TRUE(sealed.ok()) << name;
        for (const auto &[destination, owner] : destinations) {
            if (!model::mayReceive(destination.role, original.type())) continue;
            model::Message copy = stripped;
            ASSERT_TRUE(vault_->restoreFor(destination, copy, kMessageId, sealed.value(), "").ok()) << name;
            const std::string json = model::toCanonicalJson(copy);
            ++rendered;
            for (const auto &value : personal) {
                if (owner)
                    EXPECT_NE(json.find(value), std::string::npos) << name << " to its lender lacks a field";
                else
                    EXPECT_EQ(json.find(value), std::string::npos) << name << " to " << destination.id;
            }
            if (destination.role == model::PartnerRole::Nonprofit) {
                for (const char *key : {"\"account", "\"balance", "\"payoff", "\"amount_past_due"})
                    EXPECT_EQ(json.find(key), std::string::npos) << name << " to a nonprofit holds " << key;
            }
            EXPECT_TRUE(model::parseMessage(json).ok()) << name << " to " << destination.id << " is still valid";
        }
    }
    EXPECT_GT(rendered, 20);
}

}  // namespace
}  // namespace lendgate::privacy
