#include "json_reader.h"

#include <cctype>
#include <cstdlib>

#include "qmac/cost/tool_error.h"

namespace qmac::cost::detail {

// Recursive descent over the text; depth is bounded by Yosys's nesting
// (module -> cells -> cell -> connections -> bits), never by the data.
class JsonParser {
public:
  explicit JsonParser(std::string_view text) : text_(text) {}

  JsonValue document() {
    JsonValue v = value();
    skip_space();
    if (pos_ != text_.size()) fail("trailing text");
    return v;
  }

private:
  [[noreturn]] void fail(const std::string& what) const {
    throw ToolError("malformed JSON from Yosys at offset " + std::to_string(pos_) + ": " + what);
  }

  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_])))
      ++pos_;
  }

  char peek() {
    skip_space();
    if (pos_ >= text_.size()) fail("unexpected end");
    return text_[pos_];
  }

  void expect(char c) {
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++pos_;
  }

  JsonValue value() {
    JsonValue v;
    const char c = peek();
    if (c == '{') {
      v.kind_ = JsonValue::Kind::Object;
      ++pos_;
      if (peek() == '}') return ++pos_, v;
      for (;;) {
        std::string key = string();
        expect(':');
        v.object_.insert_or_assign(std::move(key), value());
        if (peek() == '}') return ++pos_, v;
        expect(',');
      }
    }
    if (c == '[') {
      v.kind_ = JsonValue::Kind::Array;
      ++pos_;
      if (peek() == ']') return ++pos_, v;
      for (;;) {
        v.array_.push_back(value());
        if (peek() == ']') return ++pos_, v;
        expect(',');
      }
    }
    if (c == '"') {
      v.kind_ = JsonValue::Kind::String;
      v.string_ = string();
      return v;
    }
    for (const char* word : {"true", "false", "null"}) {
      const std::string_view w(word);
      if (text_.substr(pos_, w.size()) == w) {
        pos_ += w.size();
        v.kind_ = w == "null" ? JsonValue::Kind::Null : JsonValue::Kind::Bool;
        v.string_ = std::string(w);
        return v;
      }
    }
    return number();
  }

  JsonValue number() {
    const std::string rest(text_.substr(pos_, 40));
    char* end = nullptr;
    JsonValue v;
    v.kind_ = JsonValue::Kind::Number;
    v.number_ = std::strtod(rest.c_str(), &end);
    if (end == rest.c_str()) fail("expected a value");
    pos_ += size_t(end - rest.c_str());
    return v;
  }

  std::string string() {
    expect('"');
    std::string s;
    while (pos_ < text_.size() && text_[pos_] != '"') {
      char c = text_[pos_++];
      if (c == '\\') {
        if (pos_ >= text_.size()) break;
        c = text_[pos_++];
        switch (c) {
        case 'n':
          c = '\n';
          break;
        case 't':
          c = '\t';
          break;
        case 'r':
          c = '\r';
          break;
        case 'b':
          c = '\b';
          break;
        case 'f':
          c = '\f';
          break;
        case 'u': // Yosys escapes only control characters this way
          if (pos_ + 4 > text_.size()) fail("short \\u escape");
          c = char(std::strtol(std::string(text_.substr(pos_, 4)).c_str(), nullptr, 16));
          pos_ += 4;
          break;
        default:
          break; // '"', '\\', '/'
        }
      }
      s += c;
    }
    if (pos_ >= text_.size()) fail("unterminated string");
    ++pos_;
    return s;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

namespace {
[[noreturn]] void wrong(const char* wanted) {
  throw ToolError(std::string("unexpected Yosys JSON: expected ") + wanted);
}
} // namespace

double JsonValue::number() const {
  if (kind_ != Kind::Number) wrong("a number");
  return number_;
}

const std::string& JsonValue::string() const {
  if (kind_ != Kind::String) wrong("a string");
  return string_;
}

const std::vector<JsonValue>& JsonValue::array() const {
  if (kind_ != Kind::Array) wrong("an array");
  return array_;
}

const std::map<std::string, JsonValue>& JsonValue::object() const {
  if (kind_ != Kind::Object) wrong("an object");
  return object_;
}

const JsonValue* JsonValue::find(const std::string& key) const {
  const auto& members = object();
  const auto it = members.find(key);
  return it == members.end() ? nullptr : &it->second;
}

const JsonValue& JsonValue::at(const std::string& key) const {
  if (const JsonValue* v = find(key)) return *v;
  throw ToolError("unexpected Yosys JSON: no member \"" + key + "\"");
}

JsonValue JsonValue::parse(std::string_view text) {
  return JsonParser(text).document();
}

} // namespace qmac::cost::detail
