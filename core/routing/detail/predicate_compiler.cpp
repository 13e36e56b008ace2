// Compiles the payload predicates of a rule and checks each against the
// canonical schemas: a pointer must name a field the rule's message types
// have, an operator must suit the field's kind, and an operand must be
// something the field can hold.
#include <algorithm>

#include "core/model/calendar.h"
#include "core/model/decimal.h"
#include "core/routing/detail/record_fields.h"
#include "core/routing/detail/rule_compiler.h"

namespace lendgate::routing::detail {

namespace {

using json = nlohmann::json;
using model::MessageType;

constexpr std::string_view kKnownOps =
    "equals, not_equals, in, prefix, exists, lt, le, gt, ge, before, after, on_or_before, on_or_after";
constexpr std::string_view kNumberHint = "an integer or a decimal string such as \"100.10\"";
constexpr std::string_view kDateHint =
    "a full-date (\"2026-11-30\") or a date-time with offset (\"2026-11-30T17:00:00-07:00\")";

bool isOpen(const FieldInfo &info) {
    return info.kinds == kKindAny && !info.values;
}
bool canBeString(const FieldInfo &info) {
    return (info.kinds & kKindString) != 0;
}
bool canBeBoolean(const FieldInfo &info) {
    return (info.kinds & kKindBoolean) != 0;
}
bool canBeNumber(const FieldInfo &info) {
    return isOpen(info) || (info.kinds & (kKindInteger | kKindNumber)) != 0 ||
           ((info.kinds & kKindString) != 0 && (info.kinds & kKindAmount) != 0);
}
bool canBeDate(const FieldInfo &info) {
    return isOpen(info) || ((info.kinds & kKindString) != 0 && (info.kinds & (kKindDate | kKindDateTime)) != 0);
}

// "text", "a list", ... for "… but /payload/x holds text".
std::string describe(const FieldInfo &info) {
    std::vector<std::string> kinds;
    if ((info.kinds & kKindString) != 0) {
        if ((info.kinds & kKindAmount) != 0) {
            kinds.emplace_back("an amount");
        } else if ((info.kinds & (kKindDate | kKindDateTime)) != 0) {
            kinds.emplace_back("a date");
        } else {
            kinds.emplace_back("text");
        }
    }
    if ((info.kinds & (kKindInteger | kKindNumber)) != 0) kinds.emplace_back("a number");
    if ((info.kinds & kKindBoolean) != 0) kinds.emplace_back("true or false");
    if ((info.kinds & kKindObject) != 0) kinds.emplace_back("an object");
    if ((info.kinds & kKindArray) != 0) kinds.emplace_back("a list");
    std::string out;
    for (const std::string &kind : kinds) out += (out.empty() ? "" : " or ") + kind;
    return out.empty() ? "nothing comparable" : out;
}

std::string typeList(const std::vector<MessageType> &types) {
    std::string out;
    for (MessageType type : types) out += (out.empty() ? "" : ", ") + std::string(model::toString(type));
    return out;
}

std::string valueList(const std::set<std::string> &values) {
    std::string out;
    for (const std::string &value : values) out += (out.empty() ? "" : ", ") + value;
    return out;
}

}  // namespace

Predicate PredicateCompiler::compile(const json &predicate, const std::string &at,
                                     const std::vector<MessageType> &types) {
    Predicate out;
    if (!predicate.is_object()) return out;  // the schema check has reported it
    const bool isTest = predicate.contains("op") || predicate.contains("pointer") || predicate.contains("value");
    const int forms = (isTest ? 1 : 0) + static_cast<int>(predicate.contains("all")) +
                      static_cast<int>(predicate.contains("any")) + static_cast<int>(predicate.contains("not"));
    if (forms != 1) {
        // An empty object is the schema's to report (minProperties).
        if (forms > 1) {
            diagnostics_.add(at,
                             "a predicate is either a test (\"pointer\", \"op\", \"value\") or exactly one of "
                             "\"all\", \"any\", \"not\"");
        }
        return out;
    }
    if (isTest) return compileTest(predicate, at, types);

    for (const char *combinator : {"all", "any"}) {
        const auto list = predicate.find(combinator);
        if (list == predicate.end()) continue;
        out.kind = std::string_view(combinator) == "all" ? Predicate::Kind::All : Predicate::Kind::Any;
        if (!list->is_array()) return out;
        const std::string listAt = child(at, combinator);
        for (std::size_t i = 0; i < list->size(); ++i) {
            out.children.push_back(compile((*list)[i], child(listAt, i), types));
        }
        return out;
    }
    out.kind = Predicate::Kind::Not;
    out.children.push_back(compile(predicate["not"], child(at, "not"), types));
    return out;
}

Predicate PredicateCompiler::compileTest(const json &predicate, const std::string &at,
                                         const std::vector<MessageType> &types) {
    Predicate out;
    out.kind = Predicate::Kind::Test;
    const auto op = predicate.find("op");
    const auto pointer = predicate.find("pointer");
    if (op == predicate.end() || pointer == predicate.end()) {
        diagnostics_.add(at, "a test needs \"pointer\" and \"op\"");
        return out;
    }
    std::optional<Op> parsedOp;
    if (op->is_string()) {
        parsedOp = opFromName(op->get<std::string>());
        if (!parsedOp) {
            diagnostics_.add(child(at, "op"), "unknown operator " + inQuotes(op->get<std::string>()) +
                                                  " (known: " + std::string(kKnownOps) + ")");
        }
    }
    const std::optional<FieldInfo> field = checkPointer(*pointer, child(at, "pointer"), types, out.slot);
    if (!parsedOp) return out;
    out.op = *parsedOp;

    const auto value = predicate.find("value");
    if (value == predicate.end()) {
        diagnostics_.add(at, "\"" + std::string(opName(out.op)) + "\" needs a \"value\"");
        return out;
    }
    compileOperands(out.op, *value, child(at, "value"), field, pointer->is_string() ? pointer->get<std::string>() : "",
                    out);
    return out;
}

// The field's kinds and values across the rule's message types, or nullopt
// when the pointer is malformed or names no field of any of them (reported).
std::optional<FieldInfo> PredicateCompiler::checkPointer(const json &pointer, const std::string &at,
                                                         const std::vector<MessageType> &types, std::size_t &slot) {
    if (!pointer.is_string()) return std::nullopt;
    std::string problem;
    const std::optional<std::vector<std::string>> tokens = splitPointer(pointer.get<std::string>(), problem);
    if (!tokens) {
        diagnostics_.add(at, "bad JSON Pointer " + inQuotes(pointer.get<std::string>()) + ": " + problem);
        return std::nullopt;
    }
    slot = fields_.add(*tokens);
    if (types.empty()) return std::nullopt;  // the message types are wrong; reported there

    std::optional<FieldInfo> found;
    bool resolvedSomewhere = false;
    for (MessageType type : types) {
        std::optional<FieldInfo> info = catalogue_.lookup(type, *tokens);
        if (!info) continue;
        if (!resolvedSomewhere) {
            found = std::move(info);
            resolvedSomewhere = true;
            continue;
        }
        // Several types: the field may hold whatever any of them holds there.
        FieldInfo merged;
        if (!isOpen(*found) && !isOpen(*info)) {
            merged.kinds = found->kinds | info->kinds;
            if (found->values && info->values) {
                merged.values = *found->values;
                merged.values->insert(info->values->begin(), info->values->end());
            }
        }
        found = std::move(merged);
    }
    if (!resolvedSomewhere) {
        std::string hint;
        if (!tokens->empty() && (*tokens)[0] != "payload" && types.size() == 1) {
            hint = " (pointers start at the record's top level: \"/payload/...\")";
        }
        diagnostics_.add(at, inQuotes(pointer.get<std::string>()) + " names no field of " +
                                 (types.size() == 1 ? "" : "any of ") + typeList(types) + hint);
    }
    return found;
}

void PredicateCompiler::compileOperands(Op op, const json &value, const std::string &at,
                                        const std::optional<FieldInfo> &field, const std::string &pointerText,
                                        Predicate &out) {
    const std::string name(opName(op));
    switch (op) {
        case Op::Exists:
            if (!value.is_boolean()) {
                diagnostics_.add(at, "\"exists\" takes true or false");
                return;
            }
            out.mustExist = value.get<bool>();
            return;
        case Op::Equals:
        case Op::NotEquals:
            if (value.is_array()) {
                diagnostics_.add(at, "\"" + name + "\" takes one value; \"in\" takes a list");
                return;
            }
            if (std::optional<Operand> operand = scalarOperand(op, value, at, field, pointerText)) {
                out.operands.push_back(std::move(*operand));
            }
            return;
        case Op::In:
            if (!value.is_array() || value.empty()) {
                diagnostics_.add(at, "\"in\" takes a non-empty list of values");
                return;
            }
            for (std::size_t i = 0; i < value.size(); ++i) {
                if (std::optional<Operand> operand = scalarOperand(op, value[i], child(at, i), field, pointerText)) {
                    out.operands.push_back(std::move(*operand));
                }
            }
            return;
        case Op::Prefix: {
            if (field && !canBeString(*field) && !isOpen(*field)) {
                diagnostics_.add(at,
                                 "\"prefix\" tests text, but " + inQuotes(pointerText) + " holds " + describe(*field));
                return;
            }
            const bool list = value.is_array();
            if (list && value.empty()) diagnostics_.add(at, "\"prefix\" takes a string or a non-empty list of strings");
            for (std::size_t i = 0; i < (list ? value.size() : 1); ++i) {
                const json &item = list ? value[i] : value;
                const std::string itemAt = list ? child(at, i) : at;
                if (!item.is_string() || item.get<std::string>().empty()) {
                    diagnostics_.add(itemAt, "\"prefix\" takes a string or a non-empty list of strings");
                    continue;
                }
                out.operands.push_back(Operand{Operand::Kind::String, item.get<std::string>(), {}, false});
            }
            return;
        }
        case Op::Lt:
        case Op::Le:
        case Op::Gt:
        case Op::Ge: {
            if (field && !canBeNumber(*field)) {
                diagnostics_.add(at, "\"" + name + "\" compares numbers and amounts, but " + inQuotes(pointerText) +
                                         " holds " + describe(*field));
                return;
            }
            std::optional<model::Decimal> number;
            if (value.is_number_integer()) {
                number = model::Decimal::parse(value.dump());
            } else if (value.is_string()) {
                number = model::Decimal::parse(value.get<std::string>());
            }
            if (!number) {
                diagnostics_.add(at, "\"" + name + "\" needs " + std::string(kNumberHint) +
                                         (value.is_number_float() ? " (a number with a fraction would pass through "
                                                                    "binary floating point and lose digits)"
                                                                  : ""));
                return;
            }
            out.operands.push_back(Operand{Operand::Kind::Number, {}, *number, false});
            return;
        }
        case Op::Before:
        case Op::After:
        case Op::OnOrBefore:
        case Op::OnOrAfter: {
            if (field && !canBeDate(*field)) {
                diagnostics_.add(
                    at, "\"" + name + "\" compares dates, but " + inQuotes(pointerText) + " holds " + describe(*field));
                return;
            }
            const std::string text = value.is_string() ? value.get<std::string>() : "";
            if (std::optional<model::Date> date = model::Date::parse(text)) {
                out.date = *date;
            } else if (std::optional<model::Timestamp> instant = model::Timestamp::parse(text)) {
                out.date = *instant;
            } else {
                diagnostics_.add(at, "\"" + name + "\" needs " + std::string(kDateHint));
            }
            return;
        }
    }
}

// One value of equals / not_equals / in. Its JSON type says how it compares,
// so it must be a type the field can hold, and one of the field's values
// when the schema enumerates them.
std::optional<Operand> PredicateCompiler::scalarOperand(Op op, const json &value, const std::string &at,
                                                        const std::optional<FieldInfo> &field,
                                                        const std::string &pointerText) {
    const std::string name(opName(op));
    Operand operand;
    if (value.is_string()) {
        operand.kind = Operand::Kind::String;
        operand.text = value.get<std::string>();
        if (field && !isOpen(*field)) {
            if (!canBeString(*field)) {
                diagnostics_.add(
                    at, "a string never equals " + inQuotes(pointerText) + ", which holds " + describe(*field));
                return std::nullopt;
            }
            if (field->values && !field->values->contains(operand.text)) {
                diagnostics_.add(at, inQuotes(operand.text) + " is not a value " + inQuotes(pointerText) + " takes (" +
                                         valueList(*field->values) + ")");
                return std::nullopt;
            }
        }
        return operand;
    }
    if (value.is_boolean()) {
        operand.kind = Operand::Kind::Boolean;
        operand.boolean = value.get<bool>();
        if (field && !isOpen(*field) && !canBeBoolean(*field)) {
            diagnostics_.add(at,
                             "true/false never equals " + inQuotes(pointerText) + ", which holds " + describe(*field));
            return std::nullopt;
        }
        return operand;
    }
    if (value.is_number_integer()) {
        std::optional<model::Decimal> number = model::Decimal::parse(value.dump());
        if (!number) {
            diagnostics_.add(at, "the number has more than 15 digits");
            return std::nullopt;
        }
        operand.kind = Operand::Kind::Number;
        operand.number = *number;
        if (field && !canBeNumber(*field)) {
            diagnostics_.add(at,
                             "a number never equals " + inQuotes(pointerText) + ", which holds " + describe(*field));
            return std::nullopt;
        }
        return operand;
    }
    if (value.is_number_float()) {
        diagnostics_.add(at, "\"" + name +
                                 "\" cannot take a number with a fraction: it would pass through binary "
                                 "floating point; compare amounts with lt/le/gt/ge and a decimal string "
                                 "such as \"100.10\"");
        return std::nullopt;
    }
    diagnostics_.add(at, "\"" + name + "\" takes a string, an integer or true/false");
    return std::nullopt;
}

}  // namespace lendgate::routing::detail
