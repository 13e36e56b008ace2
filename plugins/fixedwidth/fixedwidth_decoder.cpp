#include "fixedwidth_decoder.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>

#include "field_codec.h"

namespace lendgate::fixedwidth {
namespace {

std::string lineText(std::uint64_t line) {
    return "line " + std::to_string(line);
}

std::string columns(const FieldSpec &f) {
    return "columns " + std::to_string(f.offset + 1) + "-" + std::to_string(f.offset + f.length);
}

std::string fieldText(const FieldSpec &f) {
    return f.headerField ? "field " + f.name + " (from the header)" : "field " + f.name + " (" + columns(f) + ")";
}

const std::string &errorField(const FieldSpec &f) {
    return f.target.empty() ? f.name : f.target;
}

std::string_view trimSpaces(std::string_view text) noexcept {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    return text;
}

// Printable ASCII throughout: text fields then need no UTF-8 or control-byte check of their own.
// Eight bytes at a time, as this runs over every line.
bool isPlainAscii(std::string_view text) noexcept {
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
    std::size_t i = 0;
    for (; i + 8 <= text.size(); i += 8) {
        std::uint64_t word;
        std::memcpy(&word, text.data() + i, 8);
        // A byte below 0x20, or at 0x7F and above, sets its high bit.
        if ((((word - kOnes * 0x20) & ~word) | ((word + kOnes) | word)) & kHigh) return false;
    }
    for (; i < text.size(); ++i) {
        const auto b = static_cast<unsigned char>(text[i]);
        if (b < 0x20 || b >= 0x7F) return false;
    }
    return true;
}

// Valid UTF-8 without control bytes, as every canonical string must be.
bool isCleanText(std::string_view text) noexcept {
    return isValidUtf8(text) && std::none_of(text.begin(), text.end(), [](char c) {
               const auto b = static_cast<unsigned char>(c);
               return b < 0x20 || b == 0x7F;
           });
}

bool addChecked(std::int64_t &total, std::int64_t amount) {
    return !__builtin_add_overflow(total, amount, &total);
}

bool holds(const Condition &condition, std::string_view raw) {
    const std::string_view value = trimSpaces(raw);
    if (value.empty()) return false;
    if (condition.values.empty()) return true;
    return std::any_of(condition.values.begin(), condition.values.end(), [&](const std::string &wanted) {
        if (wanted.size() != value.size()) return false;
        for (std::size_t i = 0; i < value.size(); ++i) {
            const char c = value[i] >= 'a' && value[i] <= 'z' ? static_cast<char>(value[i] - 'a' + 'A') : value[i];
            if (c != wanted[i]) return false;
        }
        return true;
    });
}

}  // namespace

FixedWidthDecoder::FixedWidthDecoder(const Layout &layout, const Host &host, DecodeContext &ctx)
    : layout_(layout), host_(host), ctx_(ctx), expected_(ctx.expectedType()) {
    perType_.assign(layout.details.size(), 0);
    sums_.assign(layout.sums.size(), 0);
    unreadable_.assign(layout.sums.size(), 0);
    sumSources_.resize(layout.details.size());
    for (std::size_t s = 0; s < layout.sums.size(); ++s) {
        for (const auto &[detail, field] : layout.sums[s].sources) {
            std::int64_t scale = 1;
            for (int i = layout.details[detail].fields[field].number.decimals; i < layout.sums[s].decimals; ++i)
                scale *= 10;
            sumSources_[detail].push_back(SumSource{s, field, scale});
        }
    }
    for (const RecordSpec &d : layout.details) values_.emplace_back(d.shape.slotCount());
}

void FixedWidthDecoder::run() {
    const std::vector<std::string> types = layout_.messageTypes();
    if (!expected_.empty() && std::find(types.begin(), types.end(), expected_) == types.end())
        throw PluginError(LENDGATE_ERR_UNSUPPORTED, "plugin.unsupported",
                          "this configuration produces no " + expected_ + " records");
    LineReader reader(ctx_.input(), layout_.maxRecordBytes);
    Line line;
    while (reader.next(line)) {
        if (line.length == 0) continue;
        ++lines_;
        if (seenTrailer_)
            throw inputError("file_structure", lineText(line.number) + ": a record follows the trailer record");
        std::size_t index = 0;
        const RecordSpec *spec = classify(line.text, index);
        const auto role = spec != nullptr ? spec->role : RecordSpec::Role::Detail;
        if (layout_.header && !seenHeader_ && (spec == nullptr || role != RecordSpec::Role::Header))
            throw inputError("file_structure",
                             lineText(line.number) + ": the file does not start with its header record");
        if (spec == nullptr) {
            // Not counted as a detail: if it was one, the trailer's count exposes it and the file is refused.
            ctx_.recordError(Location{0, line.number, line.byteOffset, {}}, "record_type", "",
                             lineText(line.number) + ": the record type code is not one the configuration names");
            continue;
        }
        switch (role) {
            case RecordSpec::Role::Header: onHeader(line); break;
            case RecordSpec::Role::Trailer: onTrailer(line); break;
            case RecordSpec::Role::Detail: onDetail(line, index); break;
        }
    }
    if (lines_ == 0) throw inputError("file_structure", "the input is empty");
    if (layout_.trailer && !seenTrailer_)
        throw inputError("control_totals", "the file has no trailer record; it is probably truncated");
}

const RecordSpec *FixedWidthDecoder::classify(std::string_view text, std::size_t &detailIndex) const {
    if (text.size() <= layout_.codeOffset) return nullptr;
    std::string_view code = text.substr(layout_.codeOffset, layout_.codeLength);
    while (!code.empty() && code.back() == ' ') code.remove_suffix(1);
    for (std::size_t i = 0; i < layout_.details.size(); ++i) {
        if (layout_.details[i].code == code) {
            detailIndex = i;
            return &layout_.details[i];
        }
    }
    if (layout_.header && layout_.header->code == code) return &*layout_.header;
    if (layout_.trailer && layout_.trailer->code == code) return &*layout_.trailer;
    return nullptr;
}

std::string_view FixedWidthDecoder::fit(const RecordSpec &spec, const Line &line, std::string &why, const char *&code) {
    // Messages only on the error path: this runs for every line.
    auto lengths = [&] {
        return std::to_string(line.length) + " bytes, record type " + spec.code + " has " + std::to_string(spec.length);
    };
    code = "line_length";
    if (line.tooLong) {
        code = "record_too_large";
        why = "the line has " + std::to_string(line.length) + " bytes, more than max_record_bytes allows";
        return {};
    }
    if (line.length < spec.length) {
        if (!layout_.padShortLines) {
            why = "the line is too short: " + lengths();
            return {};
        }
        padded_.assign(line.text);
        padded_.resize(spec.length, ' ');
        return padded_;
    }
    if (line.length > spec.length) {
        const std::string_view extra = line.text.substr(spec.length);
        if (!layout_.allowTrailingSpaces || extra.find_first_not_of(' ') != std::string_view::npos) {
            why = "the line is too long: " + lengths();
            return {};
        }
    }
    return line.text.substr(0, spec.length);
}

void FixedWidthDecoder::onHeader(const Line &line) {
    const std::string where = lineText(line.number) + ": ";
    if (seenHeader_) throw inputError("file_structure", where + "a second header record");
    seenHeader_ = true;
    const RecordSpec &spec = *layout_.header;
    std::string why;
    const char *code = nullptr;
    const std::string_view text = fit(spec, line, why, code);
    if (!why.empty()) throw inputError("file_header", where + "header record: " + why);
    header_.clear();
    for (const FieldSpec &f : spec.fields) {
        const std::string_view raw = text.substr(f.offset, f.length);
        header_.emplace_back(raw);
        if (f.literal && trimSpaces(raw) != trimSpaces(*f.literal))
            throw inputError("file_header", where + "header field " + f.name + " does not hold " + *f.literal +
                                                "; this is not the file the configuration describes");
        const FieldProblem problem = decodeField(f, raw, true, scratch_);
        if (!problem.ok()) throw inputError("file_header", where + "header " + fieldText(f) + ": " + problem.reason);
        if (f.required && scratch_.type == FieldValue::Type::Absent)
            throw inputError("file_header", where + "header " + fieldText(f) + " is blank");
    }
}

std::int64_t FixedWidthDecoder::trailerNumber(const FieldSpec &field, std::string_view text,
                                              const std::string &where) const {
    const std::string_view raw = trimSpaces(text.substr(field.offset, field.length));
    const auto value = raw.empty() ? std::nullopt : readNumber(raw, field.number);
    if (!value)
        throw inputError("control_totals",
                         where + "the trailer's " + field.name + " is not a number its layout allows");
    return *value;
}

void FixedWidthDecoder::onTrailer(const Line &line) {
    seenTrailer_ = true;
    const std::string where = lineText(line.number) + ": ";
    const RecordSpec &spec = *layout_.trailer;
    std::string why;
    const char *code = nullptr;
    const std::string_view text = fit(spec, line, why, code);
    if (!why.empty()) throw inputError("control_totals", where + "trailer record: " + why);
    for (const FieldSpec &f : spec.fields)
        if (f.literal && trimSpaces(text.substr(f.offset, f.length)) != trimSpaces(*f.literal))
            throw inputError("control_totals", where + "trailer field " + f.name + " does not hold " + *f.literal);
    for (const CountSpec &count : layout_.counts) {
        const FieldSpec &f = spec.fields[count.field];
        std::uint64_t actual = details_;
        if (count.scope == CountSpec::Scope::All) actual = lines_;
        if (count.scope == CountSpec::Scope::Codes) {
            actual = 0;
            for (const std::size_t d : count.details) actual += perType_[d];
        }
        const std::int64_t said = trailerNumber(f, text, where);
        if (said < 0 || static_cast<std::uint64_t>(said) != actual)
            throw inputError("control_totals", where + "the trailer's " + f.name + " says " + std::to_string(said) +
                                                   " records, the file has " + std::to_string(actual) +
                                                   "; it is probably truncated or damaged");
    }
    for (std::size_t s = 0; s < layout_.sums.size(); ++s) {
        const SumSpec &sum = layout_.sums[s];
        const FieldSpec &f = spec.fields[sum.field];
        const std::int64_t said = trailerNumber(f, text, where);
        if (unreadable_[s] > 0) {
            // Those lines were already refused one by one; what the sender added up for them is unknowable.
            const std::uint64_t n = unreadable_[s];
            host_.log(LENDGATE_LOG_WARNING, "trailer " + f.name + " not verified: " + std::to_string(n) +
                                                (n == 1 ? " detail record has" : " detail records have") +
                                                " no readable " + sum.of);
        } else if (said != sums_[s]) {
            throw inputError("control_totals", where + "the trailer's " + f.name + " does not match the sum of " +
                                                   sum.of + " over the " + std::to_string(details_) +
                                                   " detail records");
        }
    }
}

void FixedWidthDecoder::addToSums(std::size_t index, std::string_view text) {
    for (const SumSource &source : sumSources_[index]) {
        if (text.empty()) {
            ++unreadable_[source.sum];
            continue;
        }
        const FieldSpec &f = layout_.details[index].fields[source.field];
        const std::string_view raw = trimSpaces(text.substr(f.offset, f.length));
        if (raw.empty()) continue;  // blank is absent: it adds nothing
        const auto value = readNumber(raw, f.number);
        std::int64_t scaled = 0;
        if (!value || __builtin_mul_overflow(*value, source.scale, &scaled) || !addChecked(sums_[source.sum], scaled))
            ++unreadable_[source.sum];
    }
}

void FixedWidthDecoder::onDetail(const Line &line, std::size_t index) {
    const RecordSpec &spec = layout_.details[index];
    ++details_;
    ++perType_[index];
    const Location where{details_, line.number, line.byteOffset, {}};
    std::string why;
    const char *code = nullptr;
    const std::string_view text = fit(spec, line, why, code);
    // Totals first: every detail line counts, whatever else is wrong with it.
    addToSums(index, why.empty() ? text : std::string_view());
    if (!why.empty()) {
        ctx_.recordError(where, code, "", why);
        return;
    }
    if (!spec.each.empty()) {
        ctx_.recordError(where, "record_type", "", "record type " + spec.code + " is only written, never read");
        return;
    }
    if (!expected_.empty() && spec.messageType != expected_) {
        ctx_.recordError(
            where, "message_type", "",
            "record type " + spec.code + " carries " + spec.messageType + ", not the expected " + expected_);
        return;
    }
    if (!mapFields(spec, text, where)) return;
    // Written in place into a buffer that only grows (bounded by max_record_bytes): no capacity check per key.
    const std::size_t room = spec.shape.maxSize(values_[index]);
    if (json_.size() < room) json_.resize(room);
    const char *end = spec.shape.writeTo(values_[index], json_.data());
    ctx_.emit(spec.messageType, std::string_view(json_.data(), static_cast<std::size_t>(end - json_.data())), where);
}

bool FixedWidthDecoder::mapFields(const RecordSpec &spec, std::string_view text, const Location &where) {
    std::vector<FieldValue> &values = values_[static_cast<std::size_t>(&spec - layout_.details.data())];
    for (FieldValue &value : values) value.clear();
    values[spec.messageTypeSlot].type = FieldValue::Type::String;
    values[spec.messageTypeSlot].text = spec.messageType;
    values[spec.schemaVersionSlot].type = FieldValue::Type::String;
    values[spec.schemaVersionSlot].text = layout_.schemaVersion;
    const bool checkText = spec.hasTextFields && !isPlainAscii(text);
    bool ok = true;
    auto refuse = [&](const FieldSpec &f, std::string_view code, const std::string &why) {
        ctx_.recordError(where, code, errorField(f), fieldText(f) + ": " + why);
        ok = false;
    };
    for (const FieldSpec &f : spec.fields) {
        if (f.when &&
            !holds(*f.when, text.substr(spec.fields[f.when->field].offset, spec.fields[f.when->field].length)))
            continue;
        if (f.constant) {
            values[f.slot] = *f.constant;
            continue;
        }
        const std::string_view raw =
            f.headerField ? std::string_view(header_[*f.headerField]) : text.substr(f.offset, f.length);
        if (f.literal) {
            if (trimSpaces(raw) != trimSpaces(*f.literal)) refuse(f, "value", "does not hold " + *f.literal);
            continue;
        }
        // Decoded in its own slot when kept, rather than in scratch_ and then swapped in.
        FieldValue &value = f.target.empty() ? scratch_ : values[f.slot];
        const FieldProblem problem = decodeField(f, raw, checkText || f.headerField, value);
        if (!problem.ok()) {
            value.clear();
            refuse(f, problem.code, problem.reason);
            continue;
        }
        if (value.type == FieldValue::Type::Absent) {
            if (f.required) refuse(f, "required", "is blank");
            continue;
        }
    }
    if (!spec.idempotencyKey.empty()) {
        key_.clear();
        for (const KeyPart &part : spec.idempotencyKey) {
            if (!part.field) {
                key_ += part.literal;
                continue;
            }
            const FieldSpec &f = part.fromHeader ? layout_.header->fields[*part.field] : spec.fields[*part.field];
            const std::string_view value =
                trimSpaces(part.fromHeader ? std::string_view(header_[*part.field]) : text.substr(f.offset, f.length));
            if (value.empty()) {
                ctx_.recordError(where, "required", "/idempotency_key",
                                 "field " + f.name + " is blank; the idempotency key is made from it");
                ok = false;
            }
            key_ += value;
        }
        if (!isPlainAscii(key_) && !isCleanText(key_)) {
            ctx_.recordError(where, "encoding", "/idempotency_key", "the idempotency key is not valid UTF-8 text");
            ok = false;
        }
        values[spec.idempotencyKeySlot].type = FieldValue::Type::String;
        values[spec.idempotencyKeySlot].text = key_;
    }
    return ok;
}

}  // namespace lendgate::fixedwidth
