#include "json.h"

#include <cmath>
#include <cstdio>

namespace qmac::cli {

std::string Json::quoted(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += char(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += char(c);
    }
  }
  return out + "\"";
}

void Json::item(const std::string& key) {
  if (!has_items_.empty()) {
    if (has_items_.back()) text_ += ",";
    has_items_.back() = true;
    text_ += "\n" + std::string(2 * has_items_.size(), ' ');
  }
  if (!key.empty()) text_ += quoted(key) + ": ";
}

Json& Json::open(const std::string& key, char bracket) {
  item(key);
  text_ += bracket;
  has_items_.push_back(false);
  return *this;
}

Json& Json::close(char bracket) {
  const bool had = has_items_.back();
  has_items_.pop_back();
  if (had) text_ += "\n" + std::string(2 * has_items_.size(), ' ');
  text_ += bracket;
  return *this;
}

Json& Json::raw(const std::string& key, const std::string& v) {
  item(key);
  text_ += v;
  return *this;
}

Json& Json::value(const std::string& key, double v) {
  if (!std::isfinite(v)) return null(key);
  char buf[32];
  for (int precision = 1; precision <= 17; ++precision) { // shortest exact round trip
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return raw(key, buf);
}

} // namespace qmac::cli
