// RouteTable::load: strict JSON, then the JSON Schema (shape), then the
// meaning (message types, roles, partners, permissions, predicates), with
// every problem collected and named by file and JSON Pointer.
#include <algorithm>
#include <map>
#include <memory>

#include "core/common/json_schema.h"
#include "core/common/redact.h"
#include "core/common/strict_json.h"
#include "core/routing/detail/embedded_schemas.h"
#include "core/routing/detail/rule_compiler.h"

namespace lendgate::routing::detail {

namespace {

using json = nlohmann::json;
using model::MessageType;

// Strings are capped before valijson sees them: its "pattern" runs std::regex,
// which recurses per character and overflows the stack on long strings.
constexpr StrictJsonLimits kRoutesLimits{4u << 20, 48, 1024, 40};

constexpr std::string_view kKnownRoles = "lender, servicer, repo_firm, nonprofit, gateway";

// A partner's role, or nullopt for the gateway itself (messages it derives).
using SenderRole = std::optional<model::PartnerRole>;
constexpr SenderRole kAllSenderRoles[] = {model::PartnerRole::Lender, model::PartnerRole::Servicer,
                                          model::PartnerRole::RepoFirm, model::PartnerRole::Nonprofit, std::nullopt};

std::string senderRoleName(SenderRole role) {
    return role ? std::string(model::toString(*role)) : "gateway";
}

bool senderRoleFromName(std::string_view name, SenderRole &role) {
    if (name == "gateway") {
        role = std::nullopt;
        return true;
    }
    role = model::partnerRoleFromString(name);
    return role.has_value();
}

// DOMAIN.md: the gateway itself sends HOLD, RELEASE_HOLD and CANCEL
// assignments, referrals and ACKs; core/model/roles.h covers partners only.
bool gatewaySends(MessageType type) {
    return type == MessageType::RepossessionAssignment || type == MessageType::Referral || type == MessageType::Ack;
}

std::string knownMessageTypes() {
    std::string out;
    for (const auto &[type, name] : model::EnumNames<MessageType>::names)
        out += (out.empty() ? "" : ", ") + std::string(name);
    return out;
}

// The text between the last pair of quotes of a valijson description, e.g.
// the key in "... constraints: 'sender'." (empty if none).
std::string quotedName(const std::string &description) {
    const std::size_t end = description.rfind('\'');
    if (end == std::string::npos || end == 0) return {};
    const std::size_t begin = description.rfind('\'', end - 1);
    if (begin == std::string::npos) return {};
    return description.substr(begin + 1, end - begin - 1);
}

// Which keys the object at this place of the file allows, from its shape.
std::string_view allowedKeys(const std::string &pointer) {
    if (pointer.empty()) return "$schema, version, description, rules";
    if (pointer.ends_with("/match")) return "message_types, senders, sender_roles, payload";
    if (pointer.find("/destinations/") != std::string::npos) return "partner, format";
    if (pointer.find("/match/payload/") != std::string::npos) return "pointer, op, value, all, any, not";
    return "id, description, match, destinations";
}

// What is wrong, for a person: valijson's descriptions are generic ("Failed
// to match regex specified by 'pattern' constraint"), the place tells more.
std::string explainSchemaError(const std::string &pointer, const std::string &description) {
    if (description.starts_with("Object contains a property that could not be validated")) {
        return "unknown key " + inQuotes(quotedName(description)) + " (allowed: " + std::string(allowedKeys(pointer)) +
               ")";
    }
    if (description.starts_with("Missing required property")) {
        return "missing required key " + inQuotes(quotedName(description));
    }
    if (description.starts_with("Failed to match regex")) {
        if (pointer.ends_with("/id")) {
            return "a rule id is 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit";
        }
        if (pointer.find("/destinations/") != std::string::npos) {
            return "a destination is a partner id, \"$lender\" or \"$assignees\"";
        }
        return "a partner id is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit";
    }
    if (description.starts_with("Failed to match expected value set by 'const'") && pointer == "/version") {
        return "this gateway reads version 1 of the rule format";
    }
    if (description.starts_with("Value type not permitted")) return "wrong JSON type here";
    return description;  // already redacted by JsonSchema
}

// The shape check, with the schema compiled once: it is part of the binary.
void checkShape(const json &document, Diagnostics &diagnostics) {
    static const Result<std::shared_ptr<const JsonSchema>> schema = JsonSchema::compile(embeddedRoutesSchema());
    if (!schema.ok()) {
        diagnostics.add("", "the compiled-in rules schema is unusable: " + schema.error().message);
        return;
    }
    for (const SchemaViolation &violation : schema.value()->validate(document)) {
        const std::string pointer = violation.pointer == "/" ? "" : violation.pointer;
        diagnostics.add(pointer, explainSchemaError(pointer, violation.message));
    }
}

class RuleCompiler {
public:
    RuleCompiler(const PartnerDirectory &partners, Diagnostics &diagnostics, FieldSet &fields)
        : partners_(partners), diagnostics_(diagnostics), predicates_(catalogue_, fields, diagnostics) {}

    std::optional<Rule> compile(const json &rule, const std::string &at, std::vector<MessageType> &types);

private:
    struct Sender {
        std::string id;
        std::optional<model::PartnerRole> role;  ///< nullopt: no such partner (reported)
    };

    std::vector<MessageType> messageTypes(const json &match, const std::string &at);
    std::vector<Sender> senders(const json &match, const std::string &at);
    std::vector<SenderRole> senderRoles(const json &match, const std::string &at);
    void checkSenders(const std::vector<MessageType> &types, const std::vector<Sender> &senders,
                      const std::vector<SenderRole> &roles, const std::string &at);
    bool maySend(SenderRole role, MessageType type) const {
        return role ? partners_.maySend(*role, type) : gatewaySends(type);
    }
    std::optional<Destination> destination(const json &entry, const std::string &at,
                                           const std::vector<MessageType> &types);

    const PartnerDirectory &partners_;
    Diagnostics &diagnostics_;
    FieldCatalogue catalogue_;
    PredicateCompiler predicates_;
    std::map<std::string, std::string, std::less<>> ruleIds_;  // id → pointer of its first use
};

std::optional<Rule> RuleCompiler::compile(const json &rule, const std::string &at, std::vector<MessageType> &types) {
    if (!rule.is_object()) return std::nullopt;
    Rule out;
    if (const auto id = rule.find("id"); id != rule.end() && id->is_string()) {
        out.id = id->get<std::string>();
        const auto [first, inserted] = ruleIds_.emplace(out.id, child(at, "id"));
        if (!inserted) {
            diagnostics_.add(child(at, "id"),
                             "duplicate rule id " + inQuotes(out.id) + " (first at " + first->second + ")");
        }
    }
    const auto match = rule.find("match");
    if (match != rule.end() && match->is_object()) {
        const std::string matchAt = child(at, "match");
        types = messageTypes(*match, matchAt);
        const std::vector<Sender> senderList = senders(*match, matchAt);
        const std::vector<SenderRole> roles = senderRoles(*match, matchAt);
        checkSenders(types, senderList, roles, matchAt);
        for (const Sender &sender : senderList) out.senders.push_back(sender.id);
        for (SenderRole role : roles) out.senderRoles |= senderBit(role);
        if (const auto payload = match->find("payload"); payload != match->end() && payload->is_array()) {
            const std::string payloadAt = child(matchAt, "payload");
            for (std::size_t i = 0; i < payload->size(); ++i) {
                out.predicates.push_back(predicates_.compile((*payload)[i], child(payloadAt, i), types));
            }
        }
    }
    if (const auto list = rule.find("destinations"); list != rule.end() && list->is_array()) {
        const std::string listAt = child(at, "destinations");
        for (std::size_t i = 0; i < list->size(); ++i) {
            std::optional<Destination> parsed = destination((*list)[i], child(listAt, i), types);
            if (!parsed) continue;
            const bool repeated =
                std::any_of(out.destinations.begin(), out.destinations.end(), [&](const Destination &d) {
                    return d.target == parsed->target && d.partner == parsed->partner && d.format == parsed->format;
                });
            if (repeated) {
                diagnostics_.add(child(listAt, i), "the rule already names this destination");
                continue;
            }
            out.destinations.push_back(std::move(*parsed));
        }
    }
    return out;
}

std::vector<MessageType> RuleCompiler::messageTypes(const json &match, const std::string &at) {
    std::vector<MessageType> types;
    const auto list = match.find("message_types");
    if (list == match.end() || !list->is_array()) return types;
    for (std::size_t i = 0; i < list->size(); ++i) {
        if (!(*list)[i].is_string()) continue;
        const std::string name = (*list)[i].get<std::string>();
        if (std::optional<MessageType> type = model::messageTypeFromString(name)) {
            types.push_back(*type);
        } else {
            diagnostics_.add(child(child(at, "message_types"), i),
                             "unknown message type " + inQuotes(name) + " (known: " + knownMessageTypes() + ")");
        }
    }
    return types;
}

std::vector<RuleCompiler::Sender> RuleCompiler::senders(const json &match, const std::string &at) {
    std::vector<Sender> out;
    const auto list = match.find("senders");
    if (list == match.end() || !list->is_array()) return out;
    for (std::size_t i = 0; i < list->size(); ++i) {
        if (!(*list)[i].is_string()) continue;
        Sender sender{(*list)[i].get<std::string>(), std::nullopt};
        sender.role = partners_.roleOf(sender.id);
        if (!sender.role) diagnostics_.add(child(child(at, "senders"), i), "unknown partner " + inQuotes(sender.id));
        out.push_back(std::move(sender));
    }
    return out;
}

std::vector<SenderRole> RuleCompiler::senderRoles(const json &match, const std::string &at) {
    std::vector<SenderRole> out;
    const auto list = match.find("sender_roles");
    if (list == match.end() || !list->is_array()) return out;
    for (std::size_t i = 0; i < list->size(); ++i) {
        if (!(*list)[i].is_string()) continue;
        const std::string name = (*list)[i].get<std::string>();
        if (SenderRole role; senderRoleFromName(name, role)) {
            out.push_back(role);
        } else {
            diagnostics_.add(child(child(at, "sender_roles"), i),
                             "unknown role " + inQuotes(name) + " (known: " + std::string(kKnownRoles) + ")");
        }
    }
    return out;
}

// A rule part that can never match is a silent routing hole: refuse message
// types none of the rule's senders may send (DOMAIN.md), and senders that
// can never match.
void RuleCompiler::checkSenders(const std::vector<MessageType> &types, const std::vector<Sender> &senders,
                                const std::vector<SenderRole> &roles, const std::string &at) {
    const auto roleListed = [&](SenderRole role) {
        return roles.empty() || std::find(roles.begin(), roles.end(), role) != roles.end();
    };
    const auto sendsAny = [&](SenderRole role) {
        return std::any_of(types.begin(), types.end(), [&](MessageType type) { return maySend(role, type); });
    };
    // The roles a matching sender can have.
    std::vector<SenderRole> candidates;
    if (!senders.empty()) {
        for (const Sender &sender : senders) {
            if (sender.role && roleListed(*sender.role)) candidates.push_back(*sender.role);
        }
    } else if (!roles.empty()) {
        candidates = roles;
    } else {
        candidates.assign(std::begin(kAllSenderRoles), std::end(kAllSenderRoles));
    }

    const std::string list = child(at, "message_types");
    bool anyTypeSendable = false;
    for (std::size_t i = 0; i < types.size(); ++i) {
        const bool sendable =
            std::any_of(candidates.begin(), candidates.end(), [&](SenderRole role) { return maySend(role, types[i]); });
        anyTypeSendable = anyTypeSendable || sendable;
        if (sendable || (!senders.empty() && candidates.empty())) continue;
        std::string who;
        for (SenderRole role : kAllSenderRoles) {
            if (maySend(role, types[i])) who += (who.empty() ? "" : ", ") + senderRoleName(role);
        }
        diagnostics_.add(child(list, i), "no sender this rule matches may send " +
                                             std::string(model::toString(types[i])) + " (sent by: " + who + ")");
    }
    for (std::size_t i = 0; i < senders.size(); ++i) {
        if (!senders[i].role) continue;
        const std::string senderAt = child(child(at, "senders"), i);
        if (!roleListed(*senders[i].role)) {
            diagnostics_.add(senderAt, inQuotes(senders[i].id) + " is a " + senderRoleName(senders[i].role) +
                                           ", a role sender_roles does not list, so it never matches");
        } else if (anyTypeSendable && !sendsAny(*senders[i].role)) {
            diagnostics_.add(senderAt, inQuotes(senders[i].id) + " is a " + senderRoleName(senders[i].role) +
                                           ", which sends none of the rule's message types");
        }
    }
    for (std::size_t i = 0; i < roles.size() && anyTypeSendable; ++i) {
        if (!sendsAny(roles[i])) {
            diagnostics_.add(child(child(at, "sender_roles"), i),
                             senderRoleName(roles[i]) + " sends none of the rule's message types");
        }
    }
}

std::optional<Destination> RuleCompiler::destination(const json &entry, const std::string &at,
                                                     const std::vector<MessageType> &types) {
    std::string partnerAt = at;
    const json *partner = &entry;
    const json *format = nullptr;
    if (entry.is_object()) {
        const auto found = entry.find("partner");
        if (found == entry.end()) return std::nullopt;
        partner = &*found;
        partnerAt = child(at, "partner");
        if (const auto named = entry.find("format"); named != entry.end()) format = &*named;
    }
    if (!partner->is_string()) return std::nullopt;

    Destination out;
    const std::string name = partner->get<std::string>();
    model::PartnerRole role = model::PartnerRole::Lender;
    if (name == kCaseLenderToken || name == kCaseAssigneesToken) {
        // The case decides which partner; its role is fixed by construction:
        // a case is keyed on its lender, and only repo firms hold assignments.
        out.target = name == kCaseLenderToken ? Destination::Target::CaseLender : Destination::Target::CaseAssignees;
        role = name == kCaseLenderToken ? model::PartnerRole::Lender : model::PartnerRole::RepoFirm;
        if (format != nullptr) {
            diagnostics_.add(child(at, "format"), "a format cannot be chosen for " + name +
                                                      ": which partner that is depends on the message; set the "
                                                      "format in the partner's profile");
        }
    } else if (name.starts_with("$")) {
        diagnostics_.add(partnerAt, "unknown destination token " + inQuotes(name) + " (known: " +
                                        std::string(kCaseLenderToken) + ", " + std::string(kCaseAssigneesToken) + ")");
        return std::nullopt;
    } else {
        const std::optional<model::PartnerRole> found = partners_.roleOf(name);
        if (!found) {
            diagnostics_.add(partnerAt, "unknown partner " + inQuotes(name));
            return std::nullopt;
        }
        role = *found;
        out.partner = name;
        if (format != nullptr && format->is_string()) {
            out.format = format->get<std::string>();
            if (!partners_.hasFormat(name, out.format)) {
                diagnostics_.add(child(at, "format"),
                                 "partner " + inQuotes(name) + " has no format " + inQuotes(out.format));
            }
        }
    }
    for (MessageType type : types) {
        if (partners_.mayReceive(role, type)) continue;
        diagnostics_.add(at, inQuotes(name) + " is a " + std::string(model::toString(role)) +
                                 ", which may not receive " + std::string(model::toString(type)));
    }
    return out;
}

}  // namespace

}  // namespace lendgate::routing::detail

namespace lendgate::routing {

Result<RouteTable> RouteTable::load(std::string_view text, std::string_view origin, const PartnerDirectory &partners) {
    using namespace detail;  // the loader is detail's entry point
    Diagnostics diagnostics(origin);
    JsonSyntaxError syntax;
    const std::optional<json> document = parseStrictJson(text, syntax, kRoutesLimits);
    if (!document) {
        // The syntax message gives the byte offset itself; the pointer is where the parser was.
        diagnostics.add(syntax.pointer, syntax.message);
        return diagnostics.toError();
    }
    try {
        checkShape(*document, diagnostics);
        auto impl = std::make_shared<Impl>();
        impl->origin = origin;
        RuleCompiler compiler(partners, diagnostics, impl->fields);
        if (const auto rules = document->find("rules");
            document->is_object() && rules != document->end() && rules->is_array()) {
            for (std::size_t i = 0; i < rules->size(); ++i) {
                std::vector<MessageType> types;
                std::optional<Rule> rule = compiler.compile((*rules)[i], child("/rules", i), types);
                if (!rule) continue;
                for (MessageType type : types) {
                    auto &bucket = impl->rulesByType[static_cast<std::size_t>(type)];
                    if (std::find(bucket.begin(), bucket.end(), impl->rules.size()) == bucket.end()) {
                        bucket.push_back(impl->rules.size());
                    }
                }
                impl->rules.push_back(std::move(*rule));
            }
        }
        if (!diagnostics.empty()) return diagnostics.toError();
        for (std::size_t type = 0; type < kMessageTypeCount; ++type) {
            std::vector<bool> &slots = impl->slotsByType[type];
            slots.assign(impl->fields.size(), false);
            for (const std::size_t rule : impl->rulesByType[type]) {
                for (const Predicate &predicate : impl->rules[rule].predicates) markSlots(predicate, slots);
            }
        }
        return RouteTable(std::move(impl));
    } catch (const std::exception &e) {
        // Nothing above should throw on any input; if it does, refuse the
        // file rather than let the exception leave the room.
        diagnostics.add("", "internal error while checking the rules: " + redactForLog(e.what()));
        return diagnostics.toError();
    }
}

}  // namespace lendgate::routing
