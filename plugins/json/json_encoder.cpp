#include "json_encoder.h"

namespace lendgate::json_plugin {
namespace {

bool isSpace(unsigned char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

}  // namespace

SyntaxError respace(std::string_view record, bool pretty, std::size_t indent, JsonSyntax &syntax, std::string &out) {
    syntax.reset();
    out.clear();
    std::size_t depth = 0;
    bool openPending = false;  // an opened container whose first member has not come yet: "{}" stays "{}"
    bool done = false;
    auto newline = [&] {
        out += '\n';
        out.append(indent + 2 * depth, ' ');
    };
    for (const char ch : record) {
        const auto c = static_cast<unsigned char>(ch);
        if (done) {
            if (isSpace(c)) continue;
            return SyntaxError::Incomplete;
        }
        const JsonSyntax::Status status = syntax.feed(c);
        if (status == JsonSyntax::Status::Error) return syntax.error();
        done = status == JsonSyntax::Status::Done;
        switch (syntax.lastRole()) {
            case ByteRole::Whitespace: break;
            case ByteRole::Content:
                if (openPending) newline();
                openPending = false;
                out += ch;
                break;
            case ByteRole::Structural:
                if (c == '{' || c == '[') {
                    if (openPending) newline();
                    out += ch;
                    ++depth;
                    openPending = pretty;
                } else if (c == '}' || c == ']') {
                    --depth;
                    if (!openPending && pretty) newline();
                    openPending = false;
                    out += ch;
                } else if (c == ',') {
                    out += ',';
                    if (pretty) newline();
                } else {
                    out += pretty ? ": " : ":";
                }
                break;
        }
    }
    return done ? SyntaxError::None : SyntaxError::Incomplete;
}

JsonEncoder::JsonEncoder(EncodeContext &ctx, OutputForm form, bool pretty, const MappedConfig *mapped)
    : ctx_(ctx),
      form_(form),
      pretty_(pretty),
      mapped_(mapped != nullptr ? std::make_unique<MappedCodec>(*mapped) : nullptr) {}

bool JsonEncoder::prepare(std::string_view record) {
    const Location where{ctx_.recordNumber(), 0, 0, {}};
    const std::size_t indent = form_ == OutputForm::Array && pretty_ ? 2 : 0;
    if (const SyntaxError error = respace(record, pretty_ && !mapped_, indent, syntax_, out_);
        error != SyntaxError::None) {
        ctx_.recordError(where, "syntax", "", syntaxErrorText(error));
        return false;
    }
    const JsonSyntax::Member &type = syntax_.watched();
    if (type.count != 1 || !type.isString || !type.plain) {
        ctx_.recordError(where, "message_type", "/message_type", "the record needs exactly one plain message_type");
        return false;
    }
    if (!ctx_.messageType().empty() && type.value != ctx_.messageType()) {
        ctx_.recordError(where, "message_type", "/message_type",
                         "the record's message_type differs from the requested " + std::string(ctx_.messageType()));
        return false;
    }
    return !mapped_ || map(record, where);
}

bool JsonEncoder::map(std::string_view record, const Location &where) {
    const TypeMapping *type = mapped_->typeNamed(syntax_.watched().value);
    if (type == nullptr) {
        ctx_.recordError(where, "message_type", "/message_type", "the configuration maps no records of this type");
        return false;
    }
    tree_.parse(record);
    const MappedCodec::ErrorFn onError = [&](std::string_view code, const std::string &field,
                                             const std::string &message) {
        ctx_.recordError(where, code, field, message);
    };
    if (mapped_->write(*type, false, tree_, partner_, onError) != 0) return false;
    if (!pretty_) {
        out_.swap(partner_);
        return true;
    }
    const std::size_t indent = form_ == OutputForm::Array ? 2 : 0;
    return respace(partner_, true, indent, syntax_, out_) == SyntaxError::None;
}

void JsonEncoder::run() {
    std::string_view record;
    bool any = false;
    if (form_ == OutputForm::Array) ctx_.write("[");
    while (ctx_.next(record)) {
        if (!prepare(record)) continue;
        if (form_ == OutputForm::Array) {
            ctx_.write(any ? ",\n" : "\n");
            if (pretty_) ctx_.write("  ");
            ctx_.write(out_);
        } else {
            out_ += '\n';
            ctx_.write(out_);
        }
        any = true;
    }
    if (form_ == OutputForm::Array) ctx_.write(any ? "\n]\n" : "]\n");
}

}  // namespace lendgate::json_plugin
