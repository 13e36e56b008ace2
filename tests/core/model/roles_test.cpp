#include "core/model/roles.h"

#include <gtest/gtest.h>

namespace lendgate::model {
namespace {

TEST(Roles, NamesRoundTrip) {
    for (PartnerRole role : {PartnerRole::Lender, PartnerRole::Servicer, PartnerRole::RepoFirm, PartnerRole::Nonprofit})
        EXPECT_EQ(partnerRoleFromString(toString(role)), role);
    EXPECT_FALSE(partnerRoleFromString("bank").has_value());
}

TEST(Roles, OnlyLendersOrderRepossessionsAndOnlyRepoFirmsReceiveThem) {
    EXPECT_TRUE(maySend(PartnerRole::Lender, MessageType::RepossessionAssignment));
    EXPECT_FALSE(maySend(PartnerRole::Servicer, MessageType::RepossessionAssignment));
    EXPECT_TRUE(mayReceive(PartnerRole::RepoFirm, MessageType::RepossessionAssignment));
    EXPECT_FALSE(mayReceive(PartnerRole::Nonprofit, MessageType::RepossessionAssignment));
}

TEST(Roles, ReferralsAreMadeByTheGatewayAndReachOnlyNonprofits) {
    for (PartnerRole role : {PartnerRole::Lender, PartnerRole::Servicer, PartnerRole::RepoFirm, PartnerRole::Nonprofit})
        EXPECT_FALSE(maySend(role, MessageType::Referral));
    EXPECT_TRUE(mayReceive(PartnerRole::Nonprofit, MessageType::Referral));
    EXPECT_FALSE(mayReceive(PartnerRole::RepoFirm, MessageType::Referral));
}

TEST(Roles, ConsentsNeverLeaveTheGateway) {
    EXPECT_TRUE(maySend(PartnerRole::RepoFirm, MessageType::Consent));
    for (PartnerRole role : {PartnerRole::Lender, PartnerRole::Servicer, PartnerRole::RepoFirm, PartnerRole::Nonprofit})
        EXPECT_FALSE(mayReceive(role, MessageType::Consent));
}

TEST(Roles, NonprofitsNeverReceiveAccountData) {
    for (MessageType type : {MessageType::DelinquencyNotice, MessageType::AccountUpdate,
                             MessageType::HardshipApplication, MessageType::RepossessionOutcome})
        EXPECT_FALSE(mayReceive(PartnerRole::Nonprofit, type));
}

}  // namespace
}  // namespace lendgate::model
