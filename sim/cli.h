// Small pieces every qmac command shares: options, stdin lines, errors, output.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "qmac/numerics/format.h"

namespace qmac::cli {

// The options of one command: --name value, --flag, and positionals.
class Args {
public:
  // `valued` lists the options that take a value, `flags` those that do not.
  Args(int argc, char** argv, const std::vector<std::string>& valued,
       const std::vector<std::string>& flags);
  bool flag(const std::string& name) const { return flags_.count(name) > 0; }
  std::optional<std::string> get(const std::string& name) const;
  std::string required(const std::string& name) const;
  long long integer(const std::string& name, long long fallback, long long lo, long long hi) const;
  const std::vector<std::string>& positional() const { return positional_; }

private:
  std::map<std::string, std::string> values_;
  std::map<std::string, bool> flags_;
  std::vector<std::string> positional_;
};

// Parses a command's options (--help is always one). On --help prints `help`
// and returns nullopt; refuses more than max_positional positional arguments.
std::optional<Args> parse_command(int argc, char** argv, std::vector<std::string> valued,
                                  std::vector<std::string> flags, const char* help,
                                  size_t max_positional = 0);

std::string_view trim(std::string_view s);

// Reads stdin line by line, numbering lines and dropping a trailing \r.
class Lines {
public:
  explicit Lines(std::FILE* in = stdin) : in_(in) {}
  bool next(std::string& line);
  long number() const { return number_; }

private:
  std::FILE* in_;
  long number_ = 0;
};

// An InputError on a numbered stdin line.
InputError at_line(long line, const std::string& what);

// Calls f(line without surrounding blanks) for each stdin line; an InputError
// from f comes back out naming the line number.
template <typename F> void for_each_line(F&& f) {
  Lines lines;
  std::string line;
  while (lines.next(line)) {
    try {
      f(trim(line));
    } catch (const InputError& e) {
      throw at_line(lines.number(), e.what());
    }
  }
}

// An element format by name; a block format (MX, NVFP4) is refused with a
// message saying that `who` (e.g. "the array simulator") takes elements.
Format element_format(const std::string& name, const std::string& who);

// Refuses, before anything is allocated, work whose memory would not fit in
// the machine: InputError saying what needs how much and what the machine
// has (`hint` may say what to do instead).
void require_memory(uint64_t bytes, const std::string& what, const std::string& hint = "");

// `text` fit for one line of a terminal: control bytes and bytes that are not
// UTF-8 become \xNN, so binary junk quoted in an error message cannot move
// the cursor, ring the bell or split the message over lines.
std::string printable(std::string_view text);

// The command line qmac was started with, without the program name (main
// records it; the commands that run qmac-rtl pass it on).
void remember_invocation(int argc, char** argv);
const std::vector<std::string>& invocation();

// Splits a comma-separated option value, dropping empty items.
std::vector<std::string> split_list(const std::string& s);

// Wall-clock seconds since t0, for the benchmarks' rates.
double seconds_since(std::chrono::steady_clock::time_point t0);

// Splits on spaces and tabs.
std::vector<std::string_view> split(std::string_view line);

// Output that is flushed in large pieces, and always before an error is shown,
// so every line before a bad input keeps its correct result.
class Out {
public:
  ~Out() { flush(); }
  void line(const std::string& s) {
    buf_ += s;
    buf_ += '\n';
    if (buf_.size() > (1 << 16)) flush();
  }
  void flush();

private:
  std::string buf_;
};

} // namespace qmac::cli
