#include "core/policy/case_facts.h"

#include <algorithm>

namespace lendgate::policy {

std::string_view toString(HoldKind kind) noexcept {
    switch (kind) {
        case HoldKind::HardshipApplication: return "HARDSHIP_APPLICATION";
        case HoldKind::HardshipApproved: return "HARDSHIP_APPROVED";
        case HoldKind::Arrangement: return "ARRANGEMENT";
        case HoldKind::PartialPayment: return "PARTIAL_PAYMENT";
    }
    return "UNKNOWN";
}

void HoldSet::add(HoldReason reason) {
    for (HoldReason &existing : reasons_) {
        if (existing.kind == reason.kind && existing.key == reason.key) {
            existing = std::move(reason);
            return;
        }
    }
    reasons_.push_back(std::move(reason));
}

bool HoldSet::remove(HoldKind kind, std::string_view key) {
    const auto it = std::find_if(reasons_.begin(), reasons_.end(),
                                 [&](const HoldReason &r) { return r.kind == kind && r.key == key; });
    if (it == reasons_.end()) return false;
    reasons_.erase(it);
    return true;
}

std::size_t HoldSet::removeAll(HoldKind kind) {
    return std::erase_if(reasons_, [&](const HoldReason &r) { return r.kind == kind; });
}

std::vector<HoldReason> HoldSet::expire(const model::Date &today) {
    std::vector<HoldReason> ended;
    std::erase_if(reasons_, [&](const HoldReason &r) {
        if (!r.lastDay || !(*r.lastDay < today)) return false;
        ended.push_back(r);
        return true;
    });
    return ended;
}

const HoldReason *HoldSet::find(HoldKind kind, std::string_view key) const {
    for (const HoldReason &reason : reasons_) {
        if (reason.kind == kind && reason.key == key) return &reason;
    }
    return nullptr;
}

CaseFacts CaseFacts::fromNotice(const model::DelinquencyNotice &notice) {
    CaseFacts facts;
    facts.loan = notice.loan;
    facts.flags = notice.flags.value_or(model::AccountFlags{});
    facts.noticesSent = notice.noticesSent;
    for (const model::Party &party : notice.parties) {
        facts.partyRoles.push_back(party.role);
        if (party.role != model::PartyRole::Borrower || facts.borrowerState) continue;
        for (const model::Address &address : party.addresses) {
            if (address.type == model::AddressType::Home) facts.borrowerState = address.state;
        }
        if (!facts.borrowerState && !party.addresses.empty()) facts.borrowerState = party.addresses.front().state;
    }
    facts.collateralVin = notice.collateral.vin;
    return facts;
}

std::vector<std::string> CaseFacts::firmsWithOpenAssignments() const {
    std::vector<std::string> firms;
    for (const OpenAssignment &assignment : openAssignments) {
        if (std::find(firms.begin(), firms.end(), assignment.firm) == firms.end()) firms.push_back(assignment.firm);
    }
    return firms;
}

}  // namespace lendgate::policy
