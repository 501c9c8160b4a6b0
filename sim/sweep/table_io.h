// The files the command line writes (sweeps, reports, exported tables): CSV
// lines (RFC 4180 quoting), output directories and atomic writes, so a killed
// run never leaves a half-written row or table behind.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace qmac::cli {

// One CSV line (no newline); fields with a comma, quote or newline are quoted.
std::string csv_line(const std::vector<std::string>& fields);
// The fields of one CSV line; InputError for an unterminated quote.
std::vector<std::string> parse_csv_line(std::string_view line);

// Creates an output directory and its parents; InputError naming it and why
// if it cannot (call it before any work, so nothing is printed as a result
// first).
void make_output_dir(const std::string& dir);

// Writes `text` to `path` through a temporary file in the same directory,
// flushed to disk and renamed over `path`. Throws InputError naming the path
// (an unwritable directory, a full disk) and leaves `path` as it was.
void write_atomically(const std::string& path, const std::string& text);

// The whole file; InputError naming it if it cannot be read.
std::string read_file(const std::string& path);

} // namespace qmac::cli
