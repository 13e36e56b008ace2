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

std::optional<HoldKind> holdKindFromString(std::string_view text) noexcept {
    for (HoldKind kind :
         {HoldKind::HardshipApplication, HoldKind::HardshipApproved, HoldKind::Arrangement, HoldKind::PartialPayment})
        if (toString(kind) == text) return kind;
    return std::nullopt;
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

namespace {

// The home address's ZIP (else the first address's), a mobile phone before
// any other, and the language the borrower asked for.
std::optional<model::ClientContact> borrowerContactOf(const std::vector<model::Party> &parties) {
    for (const model::Party &party : parties) {
        if (party.role != model::PartyRole::Borrower) continue;
        model::ClientContact contact;
        contact.name = party.name;
        for (const model::Phone &phone : party.phones) {
            if (!contact.phone || (phone.type == model::PhoneType::Mobile && contact.phone->type != phone.type))
                contact.phone = phone;
        }
        contact.language = party.language;
        for (const model::Address &address : party.addresses) {
            if (!contact.postalCode || address.type == model::AddressType::Home) {
                contact.postalCode = address.postalCode;
                contact.county = address.county;
            }
            if (address.type == model::AddressType::Home) break;
        }
        return contact;
    }
    return std::nullopt;
}

}  // namespace

CaseFacts CaseFacts::fromNotice(const model::DelinquencyNotice &notice) {
    CaseFacts facts;
    facts.loan = notice.loan;
    facts.flags = notice.flags.value_or(model::AccountFlags{});
    facts.noticesSent = notice.noticesSent;
    for (const model::NoticeSent &sent : notice.noticesSent) {
        if (sent.type != model::NoticeType::Disposition) continue;
        if (!facts.dispositionNoticeSent || *facts.dispositionNoticeSent < sent.sentDate)
            facts.dispositionNoticeSent = sent.sentDate;
    }
    for (const model::Party &party : notice.parties) {
        facts.partyRoles.push_back(party.role);
        if (party.role != model::PartyRole::Borrower || facts.borrowerState) continue;
        for (const model::Address &address : party.addresses) {
            if (address.type == model::AddressType::Home) facts.borrowerState = address.state;
        }
        if (!facts.borrowerState && !party.addresses.empty()) facts.borrowerState = party.addresses.front().state;
    }
    facts.collateralVin = notice.collateral.vin;
    facts.borrowerContact = borrowerContactOf(notice.parties);
    return facts;
}

bool CaseFacts::hasLiveReferral(model::NeedCode need) const {
    return std::any_of(referrals.begin(), referrals.end(), [&](const ReferralRecord &r) {
        if (r.need != need || r.stopped) return false;
        return !r.status ||
               (*r.status != model::ReferralStatus::Rejected && *r.status != model::ReferralStatus::Cancelled &&
                *r.status != model::ReferralStatus::Failed);
    });
}

std::vector<std::string> CaseFacts::firmsWithOpenAssignments() const {
    std::vector<std::string> firms;
    for (const OpenAssignment &assignment : openAssignments) {
        if (std::find(firms.begin(), firms.end(), assignment.firm) == firms.end()) firms.push_back(assignment.firm);
    }
    return firms;
}

}  // namespace lendgate::policy
