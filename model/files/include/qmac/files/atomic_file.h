// Files that are whole or absent: what the caches, the sweep's rows and the
// exported tables are written with, so that a kill -9, a crash or a full disk
// never leaves a reader (or the next run) with part of a file.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace qmac::files {

// Writes `text` to `path` through a temporary file in the same directory
// (`path`.tmp.PID.N), flushed to the disk (fsync) and renamed over `path`:
// readers see the old file or the whole new one. On failure the temporary
// file is removed, `path` is untouched and the reason is returned (the
// system's words, e.g. "No space left on device"); on success, "".
[[nodiscard]] std::string write_atomically(const std::filesystem::path& path,
                                           std::string_view text);

// True for the name of a temporary file of write_atomically(): one left by a
// process that was killed before its rename.
bool is_temporary(const std::filesystem::path& path);

} // namespace qmac::files
