// A small streaming JSON writer: objects, arrays, strings (escaped), integers,
// doubles (shortest round-trip form), booleans and null, indented two spaces.
// Keys are written in the order given, so output is byte-for-byte stable.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace qmac::cli {

class Json {
public:
  Json& begin_object(const std::string& key = "") { return open(key, '{'); }
  Json& end_object() { return close('}'); }
  Json& begin_array(const std::string& key = "") { return open(key, '['); }
  Json& end_array() { return close(']'); }
  Json& value(const std::string& key, const std::string& v) { return raw(key, quoted(v)); }
  Json& value(const std::string& key, const char* v) { return raw(key, quoted(v)); }
  Json& value(const std::string& key, uint64_t v) { return raw(key, std::to_string(v)); }
  Json& value(const std::string& key, int v) { return raw(key, std::to_string(v)); }
  Json& value(const std::string& key, double v);
  Json& value(const std::string& key, bool v) { return raw(key, v ? "true" : "false"); }
  Json& null(const std::string& key) { return raw(key, "null"); }
  // The document, ending in a newline.
  std::string str() const { return text_ + "\n"; }

  static std::string quoted(const std::string& s);

private:
  Json& open(const std::string& key, char bracket);
  Json& close(char bracket);
  Json& raw(const std::string& key, const std::string& v);
  void item(const std::string& key);

  std::string text_;
  std::vector<bool> has_items_; // per open container
};

} // namespace qmac::cli
