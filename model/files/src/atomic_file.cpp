#include "qmac/files/atomic_file.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace qmac::files {

namespace {

constexpr std::string_view kTemporaryMark = ".tmp.";

// A name no other process or thread is using: the process id keeps processes
// apart, the counter threads; O_EXCL skips a file left by a dead process that
// had the same id.
int create_temporary(const std::filesystem::path& path, std::string& name) {
  static std::atomic<unsigned> counter{0};
  for (int attempt = 0; attempt < 100; ++attempt) {
    name = path.string() + std::string(kTemporaryMark) + std::to_string(getpid()) + "." +
           std::to_string(counter++);
    // 0666 less the umask, as for any file the user creates.
    const int fd = open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  errno = EEXIST;
  return -1;
}

bool write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    text.remove_prefix(size_t(n));
  }
  return true;
}

} // namespace

std::string write_atomically(const std::filesystem::path& path, std::string_view text) {
  std::string temporary;
  const int fd = create_temporary(path, temporary);
  if (fd < 0) return std::strerror(errno);
  bool ok = write_all(fd, text) && fsync(fd) == 0;
  int error = errno;
  if (close(fd) != 0 && ok) {
    ok = false;
    error = errno;
  }
  if (ok && std::rename(temporary.c_str(), path.c_str()) != 0) {
    ok = false;
    error = errno;
  }
  if (!ok) {
    unlink(temporary.c_str());
    return std::strerror(error);
  }
  // The rename reaches the disk with its directory.
  const std::string dir = path.has_parent_path() ? path.parent_path().string() : ".";
  if (const int dfd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
  return "";
}

bool is_temporary(const std::filesystem::path& path) {
  return path.filename().string().find(kTemporaryMark) != std::string::npos;
}

} // namespace qmac::files
