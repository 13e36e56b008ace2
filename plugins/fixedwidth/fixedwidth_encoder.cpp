#include "fixedwidth_encoder.h"

#include <algorithm>
#include <cstring>

#include "field_codec.h"

namespace lendgate::fixedwidth {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kNone = static_cast<std::size_t>(-1);
// Canonical records are shallow; anything deeper is not one, and recursion must stay bounded.
constexpr int kMaxDepth = 64;

struct TooDeep {};

// The value `path` names, with each * standing for the next bound element index.
const Json *resolve(const Json &root, const std::vector<std::string> &path, const std::vector<std::size_t> &bindings) {
    const Json *node = &root;
    std::size_t bound = 0;
    for (const std::string &segment : path) {
        if (segment == "*") {
            if (bound == bindings.size() || !node->is_array() || bindings[bound] >= node->size()) return nullptr;
            node = &(*node)[bindings[bound++]];
        } else if (node->is_object()) {
            auto it = node->find(segment);
            if (it == node->end()) return nullptr;
            node = &*it;
        } else if (node->is_array()) {
            if (segment.empty() || segment.size() > 6 || segment.find_first_not_of("0123456789") != std::string::npos)
                return nullptr;
            const std::size_t index = std::stoul(segment);
            if (index >= node->size()) return nullptr;
            node = &(*node)[index];
        } else {
            return nullptr;
        }
    }
    return node;
}

// A JSON leaf as the field codec takes it; false for objects and arrays.
bool leafValue(const Json &value, FieldValue &out) {
    out.clear();
    if (value.is_string()) {
        out.type = FieldValue::Type::String;
        out.text = value.get_ref<const std::string &>();
    } else if (value.is_boolean()) {
        out.type = FieldValue::Type::Boolean;
        out.text = value.get<bool>() ? "true" : "false";
    } else if (value.is_number()) {
        out.type = FieldValue::Type::Number;
        out.text = value.dump();
    } else {
        return value.is_null();
    }
    return true;
}

std::string fieldText(const FieldSpec &f) {
    return "field " + f.name + " (columns " + std::to_string(f.offset + 1) + "-" + std::to_string(f.offset + f.length) +
           ")";
}

}  // namespace

FixedWidthEncoder::FixedWidthEncoder(const Layout &layout, const Host &host, EncodeContext &ctx)
    : layout_(layout), ctx_(ctx), nowMs_(host.nowUnixMs()), expected_(ctx.messageType()) {
    perType_.assign(layout.details.size(), 0);
    pendingPerType_.assign(layout.details.size(), 0);
    sums_.assign(layout.sums.size(), 0);
    pendingSums_.assign(layout.sums.size(), 0);
}

// A layout made for reading may require header or trailer fields that only
// the sender can fill (a file sequence number): such a configuration cannot
// write files at all, which is a different answer from a bad record.
void FixedWidthEncoder::refuseUnwritableEnvelope() const {
    auto check = [&](const std::optional<RecordSpec> &spec, bool trailer) {
        if (!spec) return;
        for (std::size_t i = 0; i < spec->fields.size(); ++i) {
            const FieldSpec &f = spec->fields[i];
            if (!f.required || f.literal || f.now || !f.target.empty() || !f.isColumn()) continue;
            const bool total = trailer && (std::any_of(layout_.counts.begin(), layout_.counts.end(),
                                                       [&](const CountSpec &c) { return c.field == i; }) ||
                                           std::any_of(layout_.sums.begin(), layout_.sums.end(),
                                                       [&](const SumSpec &sum) { return sum.field == i; }));
            if (total) continue;
            throw PluginError(LENDGATE_ERR_UNSUPPORTED, "config",
                              "this configuration cannot encode: the " + std::string(trailer ? "trailer" : "header") +
                                  "'s " + fieldText(f) + " is required and has no value, now or to");
        }
    };
    check(layout_.header, false);
    check(layout_.trailer, true);
}

void FixedWidthEncoder::run() {
    const std::vector<std::string> types = layout_.messageTypes();
    if (!expected_.empty() && std::find(types.begin(), types.end(), expected_) == types.end())
        throw PluginError(LENDGATE_ERR_UNSUPPORTED, "plugin.unsupported",
                          "this configuration writes no " + expected_ + " records");
    refuseUnwritableEnvelope();
    bool headerWritten = false;
    Json last;
    std::string_view text;
    while (ctx_.next(text)) {
        const Location where{ctx_.recordNumber(), 0, 0, {}};
        Json record;
        try {
            record = Json::parse(text, [](int depth, Json::parse_event_t, Json &) {
                if (depth > kMaxDepth) throw TooDeep{};
                return true;
            });
        } catch (const Json::exception &) {
            ctx_.recordError(where, "syntax", "", "the record is not valid JSON");
            continue;
        } catch (const TooDeep &) {
            ctx_.recordError(where, "syntax", "", "the record nests deeper than a canonical record does");
            continue;
        }
        const auto type = record.is_object() ? record.find("message_type") : record.end();
        if (!record.is_object() || type == record.end() || !type->is_string()) {
            ctx_.recordError(where, "message_type", "/message_type", "the record needs a message_type");
            continue;
        }
        const std::string &messageType = type->get_ref<const std::string &>();
        if ((!expected_.empty() && messageType != expected_) ||
            std::find(types.begin(), types.end(), messageType) == types.end()) {
            ctx_.recordError(where, "message_type", "/message_type",
                             expected_.empty() ? "no record type of this configuration carries this message type"
                                               : "the record's message_type differs from the requested " + expected_);
            continue;
        }
        const auto id = record.find("message_id");
        const bool continuation =
            slices_.continues(messageType, id != record.end() && id->is_string() ? id->get_ref<const std::string &>()
                                                                                 : std::string_view());
        if (ackHead_ && !continuation) finishAck();
        if (!headerWritten) {
            if (layout_.header) writeFileRecord(*layout_.header, &record);
            headerWritten = true;
        }
        if (messageType != "ack") {
            emit(record, where, Part::All);
        } else if (continuation) {
            emit(record, where, Part::Records);
        } else {
            // An ACK may come in slices (LENDGATE_CAP_ACK_SLICES): what its
            // layout writes after the records' lines waits for the last one.
            emit(record, where, Part::BeforeAndRecords);
            if (auto payload = record.find("payload"); payload != record.end() && payload->is_object())
                payload->erase("records");
            ackHead_ = AckHead{record, where};
        }
        last = std::move(record);
    }
    if (ackHead_) finishAck();
    if (!headerWritten && layout_.header) writeFileRecord(*layout_.header, nullptr);
    if (layout_.trailer) writeFileRecord(*layout_.trailer, last.is_object() ? &last : nullptr);
}

void FixedWidthEncoder::emit(const Json &record, const Location &where, Part part) {
    pending_.clear();
    std::fill(pendingPerType_.begin(), pendingPerType_.end(), 0);
    std::fill(pendingSums_.begin(), pendingSums_.end(), 0);
    if (!encodeRecord(record, where, part)) return;
    ctx_.write(pending_);
    for (std::size_t i = 0; i < perType_.size(); ++i) {
        perType_[i] += pendingPerType_[i];
        written_ += pendingPerType_[i];
    }
    for (std::size_t i = 0; i < sums_.size(); ++i)
        if (__builtin_add_overflow(sums_[i], pendingSums_[i], &sums_[i]))
            throw inputError("control_totals", "a trailer sum overflows 18 digits");
}

void FixedWidthEncoder::finishAck() {
    const AckHead head = std::move(*ackHead_);
    ackHead_.reset();
    emit(head.record, head.where, Part::After);
}

bool FixedWidthEncoder::encodeRecord(const Json &record, const Location &where, Part part) {
    const std::string &type = record.at("message_type").get_ref<const std::string &>();
    bool ok = true;
    std::vector<std::size_t> bindings;
    bool pastRecords = false;
    for (std::size_t d = 0; d < layout_.details.size(); ++d) {
        const RecordSpec &spec = layout_.details[d];
        if (spec.messageType != type || spec.parent) continue;
        const bool listsRecords = spec.each.size() >= 2 && spec.each[0] == "payload" && spec.each[1] == "records";
        pastRecords |= listsRecords;
        const bool wanted =
            part == Part::All ||
            (listsRecords ? part != Part::After : (pastRecords ? part == Part::After : part == Part::BeforeAndRecords));
        if (!wanted) continue;
        if (spec.each.empty())
            ok = writeLine(spec, d, &record, bindings, &where) && ok;
        else
            ok = emitEach(d, record, bindings, where) && ok;
    }
    return ok;
}

bool FixedWidthEncoder::emitEach(std::size_t detail, const Json &record, std::vector<std::size_t> &bindings,
                                 const Location &where) {
    const RecordSpec &spec = layout_.details[detail];
    const std::vector<std::string> arrayPath(spec.each.begin(), spec.each.end() - 1);
    const Json *array = resolve(record, arrayPath, bindings);
    if (array == nullptr || array->is_null()) return true;  // nothing to list
    if (!array->is_array()) {
        ctx_.recordError(where, "type", "",
                         "record type " + spec.code + " lists an array, and the record has none there");
        return false;
    }
    bool ok = true;
    for (std::size_t i = 0; i < array->size(); ++i) {
        bindings.push_back(i);
        ok = writeLine(spec, detail, &record, bindings, &where) && ok;
        for (std::size_t child = detail + 1; child < layout_.details.size(); ++child)
            if (layout_.details[child].parent == detail) ok = emitEach(child, record, bindings, where) && ok;
        bindings.pop_back();
    }
    return ok;
}

bool FixedWidthEncoder::writeLine(const RecordSpec &spec, std::size_t detail, const Json *record,
                                  const std::vector<std::size_t> &bindings, const Location *where) {
    line_.assign(spec.length, ' ');
    std::memcpy(line_.data() + layout_.codeOffset, spec.code.data(), spec.code.size());
    bool ok = true;
    auto refuse = [&](const FieldSpec &f, std::string_view code, const std::string &why) {
        ok = false;
        // Header and trailer values come from the records too, but a file without them is no file.
        if (where == nullptr) {
            if (problem_.empty()) problem_ = std::string(code) + ": " + fieldText(f) + ": " + why;
            return;
        }
        ctx_.recordError(*where, code, f.target.empty() ? f.name : f.target, fieldText(f) + ": " + why);
    };
    FieldValue value;
    for (const FieldSpec &f : spec.fields) {
        if (!f.isColumn()) continue;  // const and header_field: decode only
        char *dest = line_.data() + f.offset;
        if (f.literal) {
            placeAligned(f, *f.literal, dest);
            continue;
        }
        if (f.now) {
            value.type = FieldValue::Type::String;
            value.text.clear();
            appendIsoDateTime(value.text, fromUnixMs(nowMs_, f.offsetMinutes), f.utcOffset);
        } else {
            const Json *source =
                f.target.empty() || record == nullptr ? nullptr : resolve(*record, f.sourcePath, bindings);
            if (source != nullptr && !leafValue(*source, value)) {
                refuse(f, "type", "is an object or array, not a single value");
                continue;
            }
            if (source == nullptr || value.type == FieldValue::Type::Absent) {
                if (f.required) refuse(f, "required", "has no value in the record");
                continue;
            }
        }
        const FieldProblem problem = encodeField(f, value, dest, scratch_);
        if (!problem.ok()) refuse(f, problem.code, problem.reason);
    }
    if (!ok || detail == kNone) return ok;
    for (std::size_t s = 0; s < layout_.sums.size(); ++s) {
        for (const auto &[source, field] : layout_.sums[s].sources) {
            if (source != detail) continue;
            // Read back what was written, exactly as a decoder of this file will add it up.
            const FieldSpec &f = spec.fields[field];
            std::string_view raw(line_.data() + f.offset, f.length);
            raw = trimmedField(f, raw);
            if (raw.empty()) continue;
            std::int64_t units = readNumber(raw, f.number).value_or(0);
            for (int i = f.number.decimals; i < layout_.sums[s].decimals; ++i) units *= 10;
            if (__builtin_add_overflow(pendingSums_[s], units, &pendingSums_[s]))
                throw inputError("control_totals", "a trailer sum overflows 18 digits");
        }
    }
    ++pendingPerType_[detail];
    pending_ += line_;
    pending_ += layout_.lineEnding;
    return true;
}

void FixedWidthEncoder::writeFileRecord(const RecordSpec &spec, const Json *record) {
    const bool trailer = spec.role == RecordSpec::Role::Trailer;
    problem_.clear();
    writeLine(spec, kNone, record, {}, nullptr);
    if (trailer) {
        FieldValue value;
        for (const CountSpec &count : layout_.counts) {
            std::uint64_t n = written_;
            if (count.scope == CountSpec::Scope::All) n = written_ + (layout_.header ? 2 : 1);
            if (count.scope == CountSpec::Scope::Codes) {
                n = 0;
                for (const std::size_t d : count.details) n += perType_[d];
            }
            value.type = FieldValue::Type::Number;
            value.text = std::to_string(n);
            const FieldSpec &f = spec.fields[count.field];
            if (const FieldProblem p = encodeField(f, value, line_.data() + f.offset, scratch_); !p.ok())
                problem_ = std::string(p.code) + ": " + fieldText(f) + ": " + p.reason;
        }
        for (std::size_t s = 0; s < layout_.sums.size(); ++s) {
            value.type = FieldValue::Type::String;
            value.text.clear();
            appendDecimal(value.text, sums_[s], layout_.sums[s].decimals);
            const FieldSpec &f = spec.fields[layout_.sums[s].field];
            if (const FieldProblem p = encodeField(f, value, line_.data() + f.offset, scratch_); !p.ok())
                problem_ = std::string(p.code) + ": " + fieldText(f) + ": " + p.reason;
        }
    }
    if (!problem_.empty())
        throw inputError(trailer ? "file_trailer" : "file_header",
                         std::string(trailer ? "the trailer" : "the header") + " cannot be written: " + problem_);
    ctx_.write(line_);
    ctx_.write(layout_.lineEnding);
}

}  // namespace lendgate::fixedwidth
