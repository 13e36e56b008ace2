#include "core/config/secrets.h"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace lendgate::config {

Result<std::string> resolveSecret(const SecretRef &ref) {
    std::string value;
    if (ref.kind == SecretRef::Kind::Sealed)
        return Error{"secret", "sealed secret " + ref.name + " opens only with the key ring (sealed_secrets.h)"};
    if (ref.kind == SecretRef::Kind::Environment) {
        const char *text = std::getenv(ref.name.c_str());
        if (text == nullptr) return Error{"secret", "environment variable " + ref.name + " is not set"};
        value = text;
    } else {
        struct stat info {};
        if (::stat(ref.name.c_str(), &info) != 0) return Error{"secret", "secret file " + ref.name + " is missing"};
        if ((info.st_mode & 077) != 0)
            return Error{"secret", "secret file " + ref.name + " is readable by group or others; chmod 600 it"};
        std::ifstream in(ref.name, std::ios::binary);
        if (!in) return Error{"secret", "secret file " + ref.name + " cannot be read"};
        std::ostringstream text;
        text << in.rdbuf();
        value = text.str();
    }
    while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
    if (value.empty())
        return Error{"secret", (ref.kind == SecretRef::Kind::Environment ? "environment variable " : "secret file ") +
                                   ref.name + " is empty"};
    return value;
}

}  // namespace lendgate::config
