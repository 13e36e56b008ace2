#include "core/model/roles.h"

#include <array>

namespace lendgate::model {

namespace {

struct Permission {
    MessageType type;
    std::array<bool, 4> sends;     // indexed by PartnerRole
    std::array<bool, 4> receives;  // lender, servicer, repo_firm, nonprofit
};

constexpr Permission kTable[] = {
    {MessageType::DelinquencyNotice, {true, false, false, false}, {true, true, false, false}},
    {MessageType::AccountUpdate, {true, true, false, false}, {true, true, false, false}},
    {MessageType::HardshipApplication, {true, true, false, false}, {true, true, false, false}},
    {MessageType::HardshipDecision, {true, true, false, false}, {true, true, false, false}},
    {MessageType::Consent, {true, true, true, false}, {false, false, false, false}},
    {MessageType::RepossessionAssignment, {true, false, false, false}, {false, false, true, false}},
    {MessageType::RepossessionOutcome, {false, false, true, false}, {true, false, false, false}},
    {MessageType::Referral, {false, false, false, false}, {false, false, false, true}},
    {MessageType::ReferralUpdate, {false, false, false, true}, {true, false, false, false}},
    {MessageType::Ack, {false, false, false, false}, {true, true, true, true}},
};

const Permission *find(MessageType type) {
    for (const Permission &p : kTable)
        if (p.type == type) return &p;
    return nullptr;
}

}  // namespace

std::string_view toString(PartnerRole role) {
    switch (role) {
        case PartnerRole::Lender: return "lender";
        case PartnerRole::Servicer: return "servicer";
        case PartnerRole::RepoFirm: return "repo_firm";
        case PartnerRole::Nonprofit: return "nonprofit";
    }
    return "lender";
}

std::optional<PartnerRole> partnerRoleFromString(std::string_view text) {
    for (PartnerRole role : {PartnerRole::Lender, PartnerRole::Servicer, PartnerRole::RepoFirm, PartnerRole::Nonprofit})
        if (toString(role) == text) return role;
    return std::nullopt;
}

bool maySend(PartnerRole role, MessageType type) {
    const Permission *p = find(type);
    return p != nullptr && p->sends[static_cast<std::size_t>(role)];
}

bool mayReceive(PartnerRole role, MessageType type) {
    const Permission *p = find(type);
    return p != nullptr && p->receives[static_cast<std::size_t>(role)];
}

}  // namespace lendgate::model
