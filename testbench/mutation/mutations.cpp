#include "mutations.h"

#include <algorithm>
#include <random>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace qmac::rtl::mutation {
namespace {

std::string file_name(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// "/dir/qmac_pe.v:39.69-44.4" -> ("qmac_pe.v", 39); line 0 if unreadable.
std::pair<std::string, int> file_and_line(const std::string& src) {
  const size_t colon = src.rfind(':');
  if (colon == std::string::npos) return {file_name(src), 0};
  return {file_name(src.substr(0, colon)), std::atoi(src.c_str() + colon + 1)};
}

std::string option(const std::string& line, const std::string& name) {
  const std::string key = " " + name + " ";
  const size_t at = line.find(key);
  if (at == std::string::npos) return "";
  const size_t start = at + key.size();
  return line.substr(start, line.find(' ', start) - start);
}

// A cell's own location: Yosys names a cell made from an expression
// "$type$FILE:LINE$N" (after flattening, behind its instance path); cells
// without it (processes' flip-flops and muxes) take the earliest of their
// src entries in their module's file, else of those that are not instance
// sites.
std::string own_location(const std::string& line, const Hierarchy& h) {
  static const std::regex in_name(R"(\$[A-Za-z_]+\$([^$]+\.s?v):(\d+)\$\d+$)");
  std::smatch m;
  const std::string cell = option(line, "-cell");
  if (std::regex_search(cell, m, in_name)) return file_name(m[1].str()) + ":" + m[2].str();
  const std::string file = h.file_of_cell(cell);
  std::pair<std::string, int> in_file, other;
  std::istringstream words(line);
  std::string word;
  while (words >> word) {
    if (word != "-src" || !(words >> word) || h.is_instance_site(word)) continue;
    const auto here = file_and_line(word);
    auto& best = here.first == file ? in_file : other;
    if (best.first.empty() || here < best) best = here;
  }
  const auto& best = in_file.first.empty() ? other : in_file;
  return best.first.empty() ? "?" : best.first + ":" + std::to_string(best.second);
}

// The text between the quotes ending a line, from `from` on.
std::string quoted(const std::string& line, size_t from) {
  return line.substr(from, line.size() - from - 1);
}

} // namespace

Hierarchy::Hierarchy(std::string_view rtlil_dump, std::string top) : top_(std::move(top)) {
  // A module's attributes (its src: where it is defined) come before
  // "module NAME"; a cell's before "  cell TYPE NAME", where TYPE is a module
  // of the design (not a $-cell, or a $paramod one) for an instance.
  const std::string module_src = "attribute \\src \"", cell_src = "  attribute \\src \"";
  std::istringstream in{std::string(rtlil_dump)};
  std::string line, src;
  Module* module = nullptr;
  while (std::getline(in, line)) {
    if (line.rfind(module_src, 0) == 0) {
      src = quoted(line, module_src.size());
      continue;
    }
    if (line.rfind(cell_src, 0) == 0) {
      src = quoted(line, cell_src.size());
      continue;
    }
    if (line.rfind("module ", 0) == 0) {
      module = &modules_[line.substr(7)];
      module->file = file_and_line(src).first;
    } else if (line.rfind("  cell ", 0) == 0 && module) {
      const size_t space = line.find(' ', 7);
      const std::string type = line.substr(7, space - 7);
      if (type[0] != '$' || type.rfind("$paramod", 0) == 0) {
        std::string name = line.substr(space + 1);
        if (!name.empty() && name[0] == '\\') name.erase(0, 1);
        module->instances.emplace_back(name, type);
        if (!src.empty()) sites_.insert(src);
      }
    }
    // Other attributes keep the src they follow; anything else ends it.
    if (line.find("attribute ") == std::string::npos) src.clear();
  }
}

std::string Hierarchy::file_of_cell(const std::string& cell) const {
  auto it = modules_.find("\\" + top_); // RTLIL spells a module \\NAME
  if (it == modules_.end()) return "";
  const std::string flat = "$flatten\\";
  if (cell.rfind(flat, 0) != 0) return it->second.file;
  // "pe.\datapath.\g_float.add.$procmux$837": at each level the longest
  // instance name followed by '.' (generate scopes put dots in names).
  std::string rest = cell.substr(flat.size());
  for (;;) {
    const Module& m = it->second;
    const std::pair<std::string, std::string>* step = nullptr;
    for (const auto& inst : m.instances)
      if (rest.size() > inst.first.size() && rest.compare(0, inst.first.size(), inst.first) == 0 &&
          rest[inst.first.size()] == '.' && (!step || inst.first.size() > step->first.size()))
        step = &inst;
    if (!step) return m.file;
    const auto next = modules_.find(step->second);
    if (next == modules_.end()) return m.file;
    rest.erase(0, step->first.size() + 1);
    if (!rest.empty() && rest[0] == '\\') rest.erase(0, 1);
    it = next;
  }
}

std::vector<Mutation> parse_mutate_list(std::string_view text, const Hierarchy& hierarchy) {
  std::vector<Mutation> out;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("mutate ", 0) != 0) continue;
    Mutation m;
    m.mode = option(line, "-mode");
    if (m.mode.empty() || m.mode == "none") continue;
    m.command = line;
    m.location = own_location(line, hierarchy);
    out.push_back(std::move(m));
  }
  return out;
}

bool mutates_clock(const Mutation& m) {
  return m.command.find(" -port CLK ") != std::string::npos;
}

std::vector<Mutation> sample(const std::vector<Mutation>& all, const std::set<std::string>& files,
                             size_t count, uint64_t seed) {
  std::vector<size_t> eligible;
  for (size_t i = 0; i < all.size(); ++i)
    if (files.count(all[i].location.substr(0, all[i].location.find(':'))) && !mutates_clock(all[i]))
      eligible.push_back(i);
  // A partial Fisher-Yates shuffle with a fixed generator: the same on
  // every standard library (std::shuffle's algorithm is not specified).
  std::mt19937_64 rng(seed);
  const size_t n = std::min(count, eligible.size());
  for (size_t i = 0; i < n; ++i)
    std::swap(eligible[i], eligible[i + size_t(rng() % (eligible.size() - i))]);
  eligible.resize(n);
  std::sort(eligible.begin(), eligible.end());
  std::vector<Mutation> out;
  for (size_t i : eligible)
    out.push_back(all[i]);
  return out;
}

int control_width(size_t mutants) {
  int bits = 1;
  while ((size_t(1) << bits) <= mutants)
    ++bits;
  return bits;
}

std::string apply_script(const std::vector<Mutation>& mutations) {
  std::string s;
  const std::string width = std::to_string(control_width(mutations.size()));
  for (size_t k = 0; k < mutations.size(); ++k)
    s += mutations[k].command + " -ctrl " + kControl + " " + width + " " + std::to_string(k + 1) +
         "\n";
  return s;
}

std::string to_text(const std::vector<Mutation>& mutations) {
  std::string s;
  for (const Mutation& m : mutations)
    s += m.location + "\t" + m.command + "\n";
  return s;
}

std::vector<Mutation> from_text(std::string_view text) {
  std::vector<Mutation> out;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const size_t tab = line.find('\t');
    if (tab == std::string::npos) throw std::runtime_error("bad mutation line: " + line);
    Mutation m;
    m.location = line.substr(0, tab);
    m.command = line.substr(tab + 1);
    m.mode = option(m.command, "-mode");
    out.push_back(std::move(m));
  }
  return out;
}

} // namespace qmac::rtl::mutation
