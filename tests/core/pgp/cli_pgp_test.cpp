// `lendgate pgp` as an operator runs it.
#include <gtest/gtest.h>

#include <regex>

#include "tests/core/pgp/pgp_test_support.h"

namespace lendgate::pgp::testing {
namespace {

struct Cli {
    int status = -1;
    std::string out, err;
};

Cli lendgate(std::vector<std::string> args) {
    args.insert(args.begin(), {LENDGATE_CLI, "pgp"});
    Cli cli;
    cli.status = run(args, &cli.out, &cli.err);
    return cli;
}

TEST(PgpCli, InitExportImportAndList) {
    GpgHome parent;
    const std::string home = parent.file("gnupg").string();
    auto empty = lendgate({"list", "--home", home});
    ASSERT_EQ(empty.status, 0) << empty.err;
    EXPECT_NE(empty.out.find("lendgate pgp init"), std::string::npos);

    auto init =
        lendgate({"init", "--home", home, "--user-id", "Gateway test <gw@example.test>", "--algorithm", "ed25519"});
    ASSERT_EQ(init.status, 0) << init.err;
    std::smatch fpr;
    ASSERT_TRUE(std::regex_search(init.out, fpr, std::regex("[0-9A-F]{40}  sec"))) << init.out;
    const std::string gateway = fpr.str().substr(0, 40);

    auto again = lendgate({"init", "--home", home, "--user-id", "Second <s@example.test>"});
    EXPECT_EQ(again.status, 3);
    EXPECT_NE(again.err.find(gateway), std::string::npos) << again.err;

    auto exported = lendgate({"export-public-key", "--home", home});
    ASSERT_EQ(exported.status, 0) << exported.err;
    EXPECT_NE(exported.out.find("BEGIN PGP PUBLIC KEY BLOCK"), std::string::npos);
    EXPECT_EQ(exported.out.find("PRIVATE"), std::string::npos);

    GpgHome partner;
    const std::string partnerFpr = partner.generateKey("Partner test <p@example.test>");
    const fs::path keyFile = parent.file("dvb.asc");
    writeFile(keyFile, partner.exportPublic(partnerFpr));
    auto wrong = lendgate({"import-partner-key", "--home", home, "--file", keyFile.string(), "--fingerprint", gateway});
    EXPECT_EQ(wrong.status, 3);
    EXPECT_NE(wrong.err.find("pgp_key"), std::string::npos) << wrong.err;
    auto imported =
        lendgate({"import-partner-key", "--home", home, "--file", keyFile.string(), "--fingerprint", partnerFpr});
    ASSERT_EQ(imported.status, 0) << imported.err;

    auto listed = lendgate({"list", "--home", home});
    ASSERT_EQ(listed.status, 0) << listed.err;
    EXPECT_NE(listed.out.find(gateway + "  sec"), std::string::npos) << listed.out;
    EXPECT_NE(listed.out.find(partnerFpr + "  pub"), std::string::npos) << listed.out;
    EXPECT_NE(listed.out.find("Partner test"), std::string::npos);
    run({"gpgconf", "--homedir", home, "--kill", "all"});
}

TEST(PgpCli, UsageErrorsExit64) {
    EXPECT_EQ(lendgate({}).status, 64);
    EXPECT_EQ(lendgate({"frobnicate"}).status, 64);
    EXPECT_EQ(lendgate({"import-partner-key", "--home", "/tmp/x"}).status, 64);
    EXPECT_EQ(lendgate({"init", "--home", "/tmp/x"}).status, 64);  // no --user-id
    EXPECT_EQ(lendgate({"list", "--unknown"}).status, 64);
}

}  // namespace
}  // namespace lendgate::pgp::testing
