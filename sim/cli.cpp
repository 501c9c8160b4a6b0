#include "cli.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

#include "qmac/numerics/block.h"

namespace qmac::cli {

Args::Args(int argc, char** argv, const std::vector<std::string>& valued,
           const std::vector<std::string>& flags) {
  auto has = [](const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if (a.size() < 2 || a[0] != '-') {
      positional_.push_back(a);
      continue;
    }
    std::string value;
    bool inline_value = false;
    if (size_t eq = a.find('='); eq != std::string::npos) {
      value = a.substr(eq + 1);
      a = a.substr(0, eq);
      inline_value = true;
    }
    if (has(flags, a) && !inline_value) {
      flags_[a] = true;
    } else if (has(valued, a)) {
      if (!inline_value) {
        if (i + 1 >= argc) throw InputError("option " + a + " needs a value");
        value = argv[++i];
      }
      if (values_.count(a)) throw InputError("option " + a + " given twice");
      values_[a] = value;
    } else {
      throw InputError("unknown option '" + a + "' (see --help)");
    }
  }
}

std::optional<std::string> Args::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Args::required(const std::string& name) const {
  auto v = get(name);
  if (!v) throw InputError("missing required option " + name + " (see --help)");
  return *v;
}

long long Args::integer(const std::string& name, long long fallback, long long lo,
                        long long hi) const {
  auto v = get(name);
  if (!v) return fallback;
  errno = 0;
  char* end = nullptr;
  long long x = std::strtoll(v->c_str(), &end, 10);
  if (v->empty() || *end != '\0' || errno == ERANGE || x < lo || x > hi)
    throw InputError("option " + name + " must be an integer in " + std::to_string(lo) + ".." +
                     std::to_string(hi) + ", got '" + *v + "'");
  return x;
}

std::optional<Args> parse_command(int argc, char** argv, std::vector<std::string> valued,
                                  std::vector<std::string> flags, const char* help,
                                  size_t max_positional) {
  flags.push_back("--help");
  Args args(argc, argv, valued, flags);
  if (args.flag("--help")) {
    std::fputs(help, stdout);
    return std::nullopt;
  }
  if (args.positional().size() > max_positional)
    throw InputError("unexpected argument '" + args.positional()[max_positional] + "'");
  return args;
}

bool Lines::next(std::string& line) {
  line.clear();
  int c;
  bool any = false;
  while ((c = std::fgetc(in_)) != EOF) {
    any = true;
    if (c == '\n') break;
    line += char(c);
  }
  if (!any) return false;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  ++number_;
  return true;
}

std::string_view trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

std::vector<std::string_view> split(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
      ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t')
      ++j;
    if (j > i) out.push_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

void Out::flush() {
  if (!buf_.empty()) std::fwrite(buf_.data(), 1, buf_.size(), stdout);
  buf_.clear();
  std::fflush(stdout);
}

InputError at_line(long line, const std::string& what) {
  return InputError("line " + std::to_string(line) + ": " + what);
}

Format element_format(const std::string& name, const std::string& who) {
  if (find_block_format(name))
    throw InputError("block format '" + name + "' is not supported by " + who +
                     " (element formats only: the PEs multiply elements)");
  return parse_format(name);
}

namespace {

std::string gibibytes(uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f GiB", double(bytes) / double(uint64_t(1) << 30));
  return buf;
}

} // namespace

void require_memory(uint64_t bytes, const std::string& what, const std::string& hint) {
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  const uint64_t machine = pages > 0 && page > 0 ? uint64_t(pages) * uint64_t(page) : 0;
  // Leave a quarter of the machine to everything else.
  if (machine && bytes > machine / 4 * 3)
    throw InputError(what + " needs " + gibibytes(bytes) + " of memory; this machine has " +
                     gibibytes(machine) + (hint.empty() ? "" : "; " + hint));
}

namespace {

// Length of the well-formed UTF-8 sequence of two bytes or more at the start
// of `s`, or 0 (overlong forms, surrogates and code points past U+10FFFF are
// not well formed).
size_t utf8_sequence(std::string_view s) {
  const auto byte = [&](size_t i) { return i < s.size() ? uint8_t(s[i]) : 0; };
  const uint8_t b0 = byte(0);
  const size_t n = b0 >= 0xc2 && b0 <= 0xdf   ? 2
                   : b0 >= 0xe0 && b0 <= 0xef ? 3
                   : b0 >= 0xf0 && b0 <= 0xf4 ? 4
                                              : 0;
  if (n == 0) return 0;
  // The second byte's range narrows for E0, ED, F0 and F4.
  const uint8_t lo = b0 == 0xe0 ? 0xa0 : b0 == 0xf0 ? 0x90 : 0x80;
  const uint8_t hi = b0 == 0xed ? 0x9f : b0 == 0xf4 ? 0x8f : 0xbf;
  if (byte(1) < lo || byte(1) > hi) return 0;
  for (size_t i = 2; i < n; ++i)
    if (byte(i) < 0x80 || byte(i) > 0xbf) return 0;
  return n;
}

} // namespace

std::string printable(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    const uint8_t c = uint8_t(text[i]);
    if (c >= 0x20 && c < 0x7f) {
      out += char(c);
      ++i;
    } else if (const size_t n = utf8_sequence(text.substr(i))) {
      out.append(text.substr(i, n));
      i += n;
    } else {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
      ++i;
    }
  }
  return out;
}

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find(',', i);
    if (j == std::string::npos) j = s.size();
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

namespace {
std::vector<std::string>& invocation_storage() {
  static std::vector<std::string> args;
  return args;
}
} // namespace

void remember_invocation(int argc, char** argv) {
  invocation_storage().assign(argv + 1, argv + argc);
}

const std::vector<std::string>& invocation() {
  return invocation_storage();
}

} // namespace qmac::cli
