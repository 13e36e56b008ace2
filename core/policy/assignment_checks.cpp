// Checks on a lender's NEW assignment order: whether it may go to a repo firm
// now (ALLOW), must wait (HOLD) or must not go at all (REFUSE).
#include <algorithm>

#include "core/policy/policy_internal.h"

namespace lendgate::policy::detail {

namespace {

using model::Date;
using model::ScraStatus;

void checkScra(const PolicyConfig::Scra &config, const CaseFacts &facts, const model::RepossessionAssignment &order,
               const Date &today, std::vector<Decision> &out) {
    if (!config.enabled) return;
    const std::optional<model::ScraInfo> &scra = facts.flags.scra;
    const std::optional<model::Attestations> &attested = order.attestations;

    // The newest evidence counts: the lender's notice or its attestation on the order.
    std::optional<Date> certificateDate;
    if (scra && scra->checkedAt) certificateDate = scra->checkedAt->localDate();
    if (attested && attested->scraCertificateDate &&
        (!certificateDate || *certificateDate < *attested->scraCertificateDate)) {
        certificateDate = attested->scraCertificateDate;
    }
    const ScraStatus reported = scra ? scra->status : ScraStatus::Unknown;
    ScraStatus effective = certificateDate ? reported : ScraStatus::Unknown;
    std::optional<std::int64_t> age;
    if (certificateDate) {
        age = daysFrom(*certificateDate, today);
        if (*age > config.certificateMaxAgeDays) effective = ScraStatus::Unknown;
    }
    const bool courtOrder = attested && attested->courtOrderReference.has_value();

    Decision d = decide("C1", Outcome::Allow, "");
    d.parameters.push_back(number("certificate_max_age_days", config.certificateMaxAgeDays));
    d.facts.push_back(text("scra_status_reported", std::string(model::toString(reported))));
    d.facts.push_back(text("scra_status_effective", std::string(model::toString(effective))));
    if (certificateDate) d.facts.push_back(text("certificate_date", certificateDate->toString()));
    if (age) d.facts.push_back(number("certificate_age_days", *age));
    d.facts.push_back(boolean("court_order_attached", courtOrder));

    if (effective == ScraStatus::NotActive) {
        d.reason = "SCRA status NOT_ACTIVE on a current certificate";
    } else if (effective == ScraStatus::Unknown) {
        if (courtOrder) {
            d.reason = "SCRA status unknown, but a court order authorises the repossession";
        } else {
            d.outcome = Outcome::Hold;
            d.reason = certificateDate ? "the SCRA certificate is older than the configured age: status counts as "
                                         "UNKNOWN until a current one is recorded"
                                       : "no SCRA status on record: the order waits for a current certificate";
        }
    } else {
        const std::optional<Date> contract = facts.loan ? facts.loan->contractDate : std::nullopt;
        const std::optional<Date> dutyStart = scra ? scra->activeDutyStart : std::nullopt;
        if (contract) d.facts.push_back(text("contract_date", contract->toString()));
        if (dutyStart) d.facts.push_back(text("active_duty_start", dutyStart->toString()));
        // Unknown dates are read as a pre-service loan: the protection is the safe side.
        const bool predates = !contract || !dutyStart || *contract < *dutyStart;
        d.facts.push_back(text("loan_predates_service", !contract || !dutyStart ? "unknown" : predates ? "yes" : "no"));
        if (!predates) {
            d.reason = "the loan was made during military service, which 50 U.S.C. 3952 does not cover";
        } else if (courtOrder) {
            d.reason = "servicemember protected by 50 U.S.C. 3952, and a court order authorises the repossession";
        } else {
            d.outcome = Outcome::Refuse;
            d.reason =
                "servicemember protected by 50 U.S.C. 3952 (pre-service loan): no repossession without a court "
                "order";
        }
    }
    out.push_back(std::move(d));
}

void checkBankruptcy(const PolicyConfig::Bankruptcy &config, const CaseFacts &facts, std::vector<Decision> &out) {
    if (!config.enabled) return;
    const std::optional<model::Bankruptcy> &bankruptcy = facts.flags.bankruptcy;
    if (!bankruptcy) {
        Decision d = decide("C2", Outcome::Allow, "no bankruptcy on record");
        d.facts.push_back(boolean("bankruptcy_flag", false));
        out.push_back(std::move(d));
        return;
    }
    Decision d = decide("C2", Outcome::Refuse, "bankruptcy filed: the automatic stay (11 U.S.C. 362) forbids it");
    d.facts.push_back(boolean("bankruptcy_flag", true));
    d.facts.push_back(number("chapter", bankruptcy->chapter));
    if (bankruptcy->filedDate) d.facts.push_back(text("filed_date", bankruptcy->filedDate->toString()));
    out.push_back(std::move(d));
}

void checkRightToCure(const PolicyConfig::RightToCure &config, const CaseFacts &facts,
                      const model::RepossessionAssignment &order, const Date &today, std::vector<Decision> &out) {
    if (!config.enabled) return;
    Decision d = decide("C3", Outcome::Allow, "");
    if (!facts.loan) {
        d.outcome = Outcome::Hold;
        d.reason = "the governing state is unknown (no delinquency notice on the case)";
        out.push_back(std::move(d));
        return;
    }
    const std::string &state = facts.loan->governingState;
    d.facts.push_back(text("governing_state", state));
    const auto entry = config.states.find(state);
    const CurePeriod period = entry == config.states.end() ? CurePeriod{} : entry->second;
    d.parameters.push_back(number("cure_days", period.cureDays));
    d.parameters.push_back(boolean("cosigner_notice_required", period.cosignerNoticeRequired));
    if (period.cureDays == 0) {
        d.reason = "the governing state has no statutory cure period in the table";
        out.push_back(std::move(d));
        return;
    }

    // The latest notice counts: a new default restarts the period.
    const model::NoticeSent *notice = nullptr;
    for (const model::NoticeSent &sent : facts.noticesSent) {
        if (sent.type == model::NoticeType::RightToCure && (!notice || notice->sentDate < sent.sentDate))
            notice = &sent;
    }
    std::optional<Date> noticeDate = notice ? std::optional<Date>(notice->sentDate) : std::nullopt;
    std::optional<Date> statedEnd = notice ? notice->cureDeadline : std::nullopt;
    if (order.attestations && order.attestations->rightToCureNoticeDate &&
        (!noticeDate || *noticeDate < *order.attestations->rightToCureNoticeDate)) {
        noticeDate = order.attestations->rightToCureNoticeDate;
        statedEnd = order.attestations->rightToCureExpiryDate;
    }
    if (!noticeDate) {
        d.outcome = Outcome::Hold;
        d.reason = "the state requires a right-to-cure notice and none is on record";
        out.push_back(std::move(d));
        return;
    }
    // The borrower may cure through the last day of the period; a later
    // deadline the lender gave is honoured too.
    Date lastCureDay = addDays(*noticeDate, period.cureDays);
    if (statedEnd && lastCureDay < *statedEnd) lastCureDay = *statedEnd;
    d.facts.push_back(text("notice_date", noticeDate->toString()));
    d.facts.push_back(text("last_cure_day", lastCureDay.toString()));
    d.facts.push_back(text("today", today.toString()));
    if (!(lastCureDay < today)) {
        d.outcome = Outcome::Hold;
        d.facts.push_back(text("assignable_from", addDays(lastCureDay, 1).toString()));
        d.reason = "the right-to-cure period has not ended";
        out.push_back(std::move(d));
        return;
    }
    if (period.cosignerNoticeRequired) {
        const bool hasCosigner = std::find(facts.partyRoles.begin(), facts.partyRoles.end(),
                                           model::PartyRole::Cosigner) != facts.partyRoles.end();
        const bool notified = notice && notice->cosignersNotified.value_or(false);
        d.facts.push_back(boolean("has_cosigner", hasCosigner));
        d.facts.push_back(boolean("cosigners_notified", notified));
        if (hasCosigner && !notified) {
            d.outcome = Outcome::Hold;
            d.reason = "the state also requires the cure notice to the cosigner, and none is on record";
            out.push_back(std::move(d));
            return;
        }
    }
    d.reason = "the right-to-cure period has ended";
    out.push_back(std::move(d));
}

void checkHoldsInForce(const PolicyConfig::HardshipHolds &config, const CaseFacts &facts, std::vector<Decision> &out) {
    if (!config.enabled) return;
    Decision d = decide("C4", Outcome::Allow, "no hold reason in force");
    d.parameters.push_back(number("partial_payment_hold_days", config.partialPaymentHoldDays));
    d.facts.push_back(number("hold_reasons", static_cast<std::int64_t>(facts.holds.reasons().size())));
    if (!facts.holds.empty()) {
        d.outcome = Outcome::Hold;
        d.facts.push_back(text("reasons_in_force", describe(facts.holds)));
        d.reason = "the case is on hold: new orders wait until every hold reason has ended";
    }
    out.push_back(std::move(d));
}

void checkDispositionNotice(const PolicyConfig::Disposition &config, const CaseFacts &facts,
                            const model::RepossessionAssignment &order, const Date &today, std::vector<Decision> &out) {
    if (!config.enabled || order.orderType != model::OrderType::Auction) return;
    // The order has no sale date, so the sale is taken to be as early as the
    // order itself: the notice must already be old enough today.
    Decision d = decide("C8", Outcome::Allow, "the disposition notice was sent early enough");
    d.parameters.push_back(number("disposition_notice_days", config.dispositionNoticeDays));
    if (!facts.dispositionNoticeSent) {
        d.outcome = Outcome::Hold;
        d.reason = "an auction needs a disposition notice and none is on record";
        out.push_back(std::move(d));
        return;
    }
    const std::int64_t days = daysFrom(*facts.dispositionNoticeSent, today);
    d.facts.push_back(text("disposition_notice_sent", facts.dispositionNoticeSent->toString()));
    d.facts.push_back(number("days_since_notice", days));
    if (days < config.dispositionNoticeDays) {
        d.outcome = Outcome::Hold;
        d.facts.push_back(
            text("earliest_sale_date", addDays(*facts.dispositionNoticeSent, config.dispositionNoticeDays).toString()));
        d.reason = "the disposition notice was sent fewer than the configured days ago";
    }
    out.push_back(std::move(d));
}

void deriveContactFlags(const PolicyConfig::ContactWindow &config, const CaseFacts &facts,
                        const model::RepossessionAssignment &order, std::vector<Decision> &out) {
    if (!config.enabled) return;
    const bool cease = facts.flags.ceaseCommunication.value_or(false);
    const bool attorney = facts.flags.attorneyRepresented.value_or(false);
    const model::ContactFlags carried = order.contactFlags.value_or(model::ContactFlags{});
    const bool missing = (cease && !carried.ceaseCommunication.value_or(false)) ||
                         (attorney && !carried.attorneyRepresented.value_or(false));
    if (!missing) return;
    Decision d = decide("C9", Outcome::Derive, "the order must carry the case's contact restrictions to the firm");
    d.facts.push_back(boolean("cease_communication", cease));
    d.facts.push_back(boolean("attorney_represented", attorney));
    out.push_back(std::move(d));
}

void checkCollateral(const PolicyConfig::DataChecks &config, const CaseFacts &facts,
                     const model::RepossessionAssignment &order, std::vector<Decision> &out) {
    // Record-level checks (VIN check digit, state codes, dates in order) are
    // core/model's parseMessage(); what needs the case is whether the order
    // names the vehicle the case is about.
    if (!config.enabled || !facts.collateralVin || !order.collateral) return;
    const bool matches = order.collateral->vin == *facts.collateralVin;
    Decision d = decide("C12", matches ? Outcome::Allow : Outcome::Refuse,
                        matches ? "the order's vehicle is the case's collateral"
                                : "the order's VIN differs from the case's collateral: possibly the wrong vehicle");
    d.facts.push_back(boolean("vin_matches_case", matches));
    out.push_back(std::move(d));
}

}  // namespace

void checkNewAssignment(const PolicyConfig &config, const CaseFacts &facts, const model::RepossessionAssignment &order,
                        const model::Timestamp &now, std::vector<Decision> &out) {
    const Date today = now.localDate();
    checkScra(config.c1, facts, order, today, out);
    checkBankruptcy(config.c2, facts, out);
    checkRightToCure(config.c3, facts, order, today, out);
    checkHoldsInForce(config.c4, facts, out);
    checkDispositionNotice(config.c8, facts, order, today, out);
    deriveContactFlags(config.c9, facts, order, out);
    checkCollateral(config.c12, facts, order, out);
}

}  // namespace lendgate::policy::detail
