// The cast of the OpenPGP tests: the gateway (our Keyring), a partner whose
// key the gateway pins, and a stranger. Keys are made once per test program;
// agents are stopped after every test.
#ifndef LENDGATE_TESTS_PGP_WORLD_H
#define LENDGATE_TESTS_PGP_WORLD_H

#include <gtest/gtest.h>

#include <memory>

#include "tests/core/pgp/pgp_test_support.h"

namespace lendgate::pgp::testing {

struct World {
    GatewayHome gateway;
    GpgHome partner;
    GpgHome stranger;
    std::string gatewayFpr;
    std::string partnerFpr;
    std::string strangerFpr;

    World() {
        auto key =
            gateway.keyring().generateGatewayKey("lendgate test gateway <gw@example.test>", KeyAlgorithm::Ed25519);
        if (!key) throw std::runtime_error(key.error().message);
        gatewayFpr = key.value().fingerprint;
        auto exported = gateway.keyring().exportPublicKey(gatewayFpr);
        if (!exported) throw std::runtime_error(exported.error().message);

        partnerFpr = partner.generateKey("Desert Valley Bank test <pgp@dvb.example.test>");
        strangerFpr = stranger.generateKey("Stranger test <x@stranger.example.test>");
        partner.importKey(exported.value());
        stranger.importKey(exported.value());
        partner.importKey(stranger.exportPublic(strangerFpr));
        auto imported = gateway.keyring().importPartnerKeyData(partner.exportPublic(partnerFpr), partnerFpr);
        if (!imported) throw std::runtime_error(imported.error().message);
    }

    /// What a well-behaved partner sends: signed by its key, encrypted to ours.
    std::string partnerSends(const std::string &plain, const std::vector<std::string> &extra = {}) const {
        std::vector<std::string> args{"--local-user", partnerFpr, "--recipient", gatewayFpr};
        args.insert(args.end(), extra.begin(), extra.end());
        args.insert(args.end(), {"--sign", "--encrypt"});
        return partner.transform(plain, args);
    }

    DecryptOptions fromPartner() const {
        DecryptOptions options;
        options.expectedSigner = partnerFpr;
        return options;
    }

    Result<VerifiedPlaintext> receive(const std::string &ciphertext, StringSink &sink,
                                      const DecryptOptions &options) const {
        journal::StringSource source(ciphertext);
        return gateway.keyring().decryptAndVerify(source, sink, options);
    }
};

/// One World per test program; every test stops the agents it woke.
class PgpTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        if (!world_) world_ = std::make_unique<World>();
    }
    static void TearDownTestSuite() { world_.reset(); }
    void TearDown() override {
        world_->gateway.home().stopAgent();
        world_->partner.stopAgent();
        world_->stranger.stopAgent();
    }
    static World &world() { return *world_; }

private:
    static inline std::unique_ptr<World> world_;
};

}  // namespace lendgate::pgp::testing

#endif  // LENDGATE_TESTS_PGP_WORLD_H
