// A small JSON reader for what Yosys writes (`write_json`): objects, arrays,
// strings, integers, true/false/null. Internal to qmac_cost.
//
// Yosys's netlist JSON names its nets by integer ids, so a tree of values is
// all the energy flow needs; no streaming, no floating point beyond what
// strtod reads.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace qmac::cost::detail {

class JsonValue {
public:
  enum class Kind { Null, Bool, Number, String, Array, Object };

  Kind kind() const { return kind_; }
  bool is_number() const { return kind_ == Kind::Number; }
  bool is_string() const { return kind_ == Kind::String; }
  double number() const;
  const std::string& string() const;
  const std::vector<JsonValue>& array() const;
  // Keys in sorted order (Yosys writes them in its own order; nothing here
  // depends on it).
  const std::map<std::string, JsonValue>& object() const;
  // The member `key` of an object; ToolError if absent.
  const JsonValue& at(const std::string& key) const;
  // The member `key`, or nullptr.
  const JsonValue* find(const std::string& key) const;

  // Parses a whole document. Throws ToolError naming the offset on bad input.
  static JsonValue parse(std::string_view text);

private:
  friend class JsonParser;
  Kind kind_ = Kind::Null;
  double number_ = 0;
  std::string string_; // also Bool: "true"/"false"
  std::vector<JsonValue> array_;
  std::map<std::string, JsonValue> object_;
};

} // namespace qmac::cost::detail
