// Certificates for TLS tests, made with the openssl command line as an
// operator would: a CA, leaves it signs (server or client), and self-signed
// strangers. Header-only so any test binary can use it without linking more.
#ifndef LENDGATE_TESTS_SUPPORT_TEST_CERTIFICATES_H
#define LENDGATE_TESTS_SUPPORT_TEST_CERTIFICATES_H

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>

namespace lendgate::test {

class TestPki {
public:
    explicit TestPki(std::string dir) : dir_(std::move(dir)) {}

    /// DIR/NAME.pem and DIR/NAME.key: a self-signed certificate (a CA, or a
    /// stranger nobody trusts) with subjectAltName `san` if not empty.
    std::string selfSigned(const std::string &name, const std::string &san = {}) const {
        run("req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=" + name +
            (san.empty() ? "" : " -addext subjectAltName=" + san) + " -keyout " + key(name) + " -out " + pem(name));
        return pem(name);
    }

    /// DIR/NAME.pem and DIR/NAME.key signed by the CA `ca`, naming `san`
    /// (e.g. "IP:127.0.0.1" or "DNS:elsewhere.example"), for servers and clients.
    std::string signedBy(const std::string &ca, const std::string &name, const std::string &san) const {
        const std::string extensions = dir_ + "/" + name + ".ext";
        std::ofstream(extensions) << "subjectAltName=" << san << "\nextendedKeyUsage=serverAuth,clientAuth\n";
        run("req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=" + name + " -keyout " +
            key(name) + " -out " + dir_ + "/" + name + ".csr");
        run("x509 -req -in " + dir_ + "/" + name + ".csr -CA " + pem(ca) + " -CAkey " + key(ca) + " -set_serial " +
            std::to_string(++serial_) + " -days 2 -extfile " + extensions + " -out " + pem(name));
        return pem(name);
    }

    /// Lower-case hex SHA-256 of the certificate's DER form, as pinned.
    std::string sha256(const std::string &name) const {
        const std::string command = "openssl x509 -in " + pem(name) + " -outform DER | openssl dgst -sha256 -r";
        FILE *pipe = ::popen(command.c_str(), "r");
        if (pipe == nullptr) throw std::runtime_error("cannot run openssl");
        char line[256] = {};
        const bool read = std::fgets(line, sizeof line, pipe) != nullptr;
        ::pclose(pipe);
        if (!read) throw std::runtime_error("openssl printed no digest");
        return std::string(line).substr(0, 64);
    }

    std::string pem(const std::string &name) const { return dir_ + "/" + name + ".pem"; }
    std::string key(const std::string &name) const { return dir_ + "/" + name + ".key"; }

private:
    void run(const std::string &arguments) const {
        const std::string command = "openssl " + arguments + " >/dev/null 2>&1";
        if (std::system(command.c_str()) != 0) throw std::runtime_error("failed: " + command);
    }

    std::string dir_;
    mutable int serial_ = 1000;
};

}  // namespace lendgate::test

#endif  // LENDGATE_TESTS_SUPPORT_TEST_CERTIFICATES_H
