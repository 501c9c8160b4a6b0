#include "yosys_reports.h"

#include <cctype>
#include <charconv>

#include "qmac/cost/tool_error.h"

namespace qmac::cost::detail {
namespace {

long parse_count(std::string_view text, size_t& pos) {
  while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos])))
    ++pos;
  long value = -1;
  auto [end, ec] = std::from_chars(text.data() + pos, text.data() + text.size(), value);
  if (ec != std::errc() || value < 0) throw ToolError("unexpected Yosys stat -json output");
  pos = size_t(end - text.data());
  return value;
}

} // namespace

std::map<std::string, long> parse_stat_cells(std::string_view json) {
  // The per-module sections come first; the totals follow under "design".
  // Cell type names are Yosys identifiers ("$_NAND_"): no quotes or escapes.
  size_t pos = json.find("\"design\"");
  if (pos != std::string_view::npos) pos = json.find("\"num_cells_by_type\"", pos);
  if (pos != std::string_view::npos) pos = json.find('{', pos);
  if (pos == std::string_view::npos)
    throw ToolError("Yosys stat -json output has no design-wide num_cells_by_type");
  std::map<std::string, long> cells;
  for (++pos;;) {
    const size_t quote = json.find_first_of("\"}", pos);
    if (quote == std::string_view::npos) throw ToolError("truncated Yosys stat -json output");
    if (json[quote] == '}') return cells;
    const size_t close = json.find('"', quote + 1);
    const size_t colon = close == std::string_view::npos ? close : json.find(':', close);
    if (colon == std::string_view::npos) throw ToolError("truncated Yosys stat -json output");
    std::string type(json.substr(quote + 1, close - quote - 1));
    pos = colon + 1;
    cells[type] += parse_count(json, pos);
  }
}

int parse_ltp_length(std::string_view text) {
  static constexpr std::string_view kMarker = "(length=";
  size_t pos = text.find("Longest topological path in ");
  if (pos != std::string_view::npos) pos = text.find(kMarker, pos);
  if (pos == std::string_view::npos) throw ToolError("Yosys ltp printed no longest path");
  pos += kMarker.size();
  return int(parse_count(text, pos));
}

std::string first_error_line(std::string_view log) {
  for (size_t start = 0; start < log.size();) {
    size_t end = log.find('\n', start);
    if (end == std::string_view::npos) end = log.size();
    std::string_view line = log.substr(start, end - start);
    if (line.find("ERROR:") != std::string_view::npos) return std::string(line);
    start = end + 1;
  }
  return {};
}

} // namespace qmac::cost::detail
