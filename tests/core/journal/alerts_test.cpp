// Alerts in the journal: a condition raised again under its key is one
// alert, an operator acknowledges it once, the operator webhook is handed
// each alert until it was posted, counts feed /metrics, and a record's
// alerts are written with it and shown on its case's timeline.
#include <gtest/gtest.h>

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>

#include "tests/core/journal/journal_test_support.h"

namespace lendgate::journal::testing {
namespace {

AlertRecord overdueAck(const std::string &key) {
    AlertRecord alert;
    alert.kind = "policy:C5";
    alert.severity = "warning";
    alert.dedupeKey = key;
    alert.caseId = "case-1";
    alert.partner = "valley_recovery";
    alert.text = "the firm has not acknowledged a HOLD within the SLA";
    alert.detail = R"({"policy_id":"C5"})";
    return alert;
}

class AlertsTest : public JournalTest {};

TEST_F(AlertsTest, ARaisedConditionIsOneAlertUntilAnOperatorAcknowledgesIt) {
    auto first = journal_->raiseAlert(overdueAck("C5:ack:A-1"));
    ASSERT_TRUE(first.ok()) << first.error().message;
    ASSERT_TRUE(first.value().has_value());
    EXPECT_EQ(first.value()->record.partner, "valley_recovery");
    EXPECT_EQ(first.value()->record.atMs, clock_.nowUnixMs());

    clock_.advance(60000);
    auto again = journal_->raiseAlert(overdueAck("C5:ack:A-1"));
    ASSERT_TRUE(again.ok());
    EXPECT_FALSE(again.value().has_value()) << "the clock's next pass raises nothing new";
    ASSERT_TRUE(journal_->raiseAlert(overdueAck("C5:ack:A-2")).value().has_value());

    auto open = journal_->listAlerts({});
    ASSERT_TRUE(open.ok());
    ASSERT_EQ(open.value().size(), 2u);

    const std::int64_t id = first.value()->alertId;
    EXPECT_TRUE(journal_->acknowledgeAlert(id, "admin:ops-1", 0).value());
    EXPECT_FALSE(journal_->acknowledgeAlert(id, "admin:ops-2", 0).value()) << "acknowledged once";
    auto missing = journal_->acknowledgeAlert(999, "admin:ops-1", 0);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, errc::kNotFound);

    open = journal_->listAlerts({});
    ASSERT_EQ(open.value().size(), 1u);
    EXPECT_EQ(open.value()[0].record.dedupeKey, "C5:ack:A-2");
    AlertQuery ofOtherFirm;
    ofOtherFirm.partner = "mesa-asset-recovery";
    EXPECT_TRUE(journal_->listAlerts(ofOtherFirm).value().empty()) << "per firm";
    AlertQuery ofValley;
    ofValley.partner = "valley_recovery";
    EXPECT_EQ(journal_->listAlerts(ofValley).value().size(), 1u);
    AlertQuery all;
    all.includeAcknowledged = true;
    auto everything = journal_->listAlerts(all);
    ASSERT_EQ(everything.value().size(), 2u);
    EXPECT_EQ(everything.value()[0].acknowledgedBy, "admin:ops-1");
    EXPECT_GT(everything.value()[0].acknowledgedAtMs, 0);

    auto counts = journal_->alertCounts();
    ASSERT_TRUE(counts.ok());
    ASSERT_EQ(counts.value().size(), 1u);
    EXPECT_EQ(counts.value()[0].kind, "policy:C5");
    EXPECT_EQ(counts.value()[0].open, 1);
    EXPECT_EQ(counts.value()[0].total, 2);
}

TEST_F(AlertsTest, TheOperatorWebhookIsHandedEachAlertUntilItWasPosted) {
    for (const char *key : {"k1", "k2", "k3"}) ASSERT_TRUE(journal_->raiseAlert(overdueAck(key)).ok());
    auto due = journal_->alertsToNotify(2);
    ASSERT_TRUE(due.ok());
    ASSERT_EQ(due.value().size(), 2u);
    std::vector<std::int64_t> posted{due.value()[0].alertId, due.value()[1].alertId};
    ASSERT_TRUE(journal_->markAlertsNotified(posted, 0).ok());
    due = journal_->alertsToNotify(10);
    ASSERT_EQ(due.value().size(), 1u);
    EXPECT_EQ(due.value()[0].record.dedupeKey, "k3");
}

TEST_F(AlertsTest, WhatWasRaisedCannotBeChangedOrDeletedAndBadAlertsAreRefused) {
    ASSERT_TRUE(journal_->raiseAlert(overdueAck("k1")).ok());
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::Session session("SQLite", path_.string());
    using Poco::Data::Keywords::now;
    EXPECT_ANY_THROW((session << "UPDATE alerts SET severity = 'warning', text = 'nothing'", now));
    EXPECT_ANY_THROW((session << "DELETE FROM alerts", now));
    EXPECT_EQ(rows("alerts", "text LIKE 'the firm%'"), 1);

    AlertRecord bad = overdueAck("k2");
    bad.severity = "panic";
    EXPECT_EQ(journal_->raiseAlert(bad).error().code, errc::kInvalidArgument);
    bad = overdueAck("k3");
    bad.text.clear();
    EXPECT_EQ(journal_->raiseAlert(bad).error().code, errc::kInvalidArgument);
}

TEST_F(AlertsTest, ARecordsAlertIsWrittenWithItOnceAndShownOnItsCase) {
    IntakeRecord outcome = record(1, "OUT-1", "case-1");
    outcome.messageType = "repossession_outcome";
    AlertRecord alert = overdueAck("");
    alert.kind = "policy:C5";
    alert.severity = "critical";
    alert.caseId.clear();
    alert.text = "RECOVERED after a HOLD was sent: possible wrongful repossession";
    outcome.alerts.push_back(alert);
    const AcceptResult first = acceptOk(batch("valley_recovery", "req-1", {outcome}));
    acceptOk(batch("valley_recovery", "req-2", {outcome}));  // the same record again: a duplicate

    auto timeline = journal_->caseTimeline("case-1");
    ASSERT_TRUE(timeline.ok());
    ASSERT_EQ(timeline.value().alerts.size(), 1u) << "a resent record raises nothing twice";
    const Alert &raised = timeline.value().alerts[0];
    EXPECT_EQ(raised.record.messageId, first.records[0].messageId);
    EXPECT_EQ(raised.record.caseId, "case-1");
    EXPECT_EQ(raised.record.severity, "critical");

    auto watched = journal_->casesToWatch(0);
    ASSERT_TRUE(watched.ok());
    EXPECT_EQ(watched.value(), std::vector<std::string>{"case-1"});
    EXPECT_TRUE(journal_->casesToWatch(clock_.nowUnixMs() + 1).value().empty()) << "only recent activity";
}

}  // namespace
}  // namespace lendgate::journal::testing
