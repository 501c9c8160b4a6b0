// libFuzzer target: the vector reader of `qmac mac`. cmd_mac() reads its
// vectors from stdin, so the target calls it unchanged with stdin opened on the
// input (fmemopen) and stdout sent to /dev/null.
// Input: byte 0 picks the A format, byte 1 the B format, byte 2 the accumulator
// and the flags; the rest is the stdin text ("A_CODE B_CODE" lines, blank lines
// between dot products). Bad input must give qmac::InputError.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "commands.h"
#include "qmac/numerics/format.h"

namespace {

const char* const kFormats[] = {"int8",  "uint8",    "int4",        "e4m3fn",        "e5m2",
                                "e4m3",  "e5m2fnuz", "e4m3fnuz",    "e3m4",          "e2m5",
                                "fp16",  "bf16",     "uflint4",     "flint8",        "e8m0fnu",
                                "int16", "e4m3fin",  "e3m2fnuz_b5", "float4_e2m1fn", "mxfp8_e4m3",
                                "mxfp4", "nvfp4",    "mxint8",      "fp32"};
const char* const kAccs[] = {"int32", "int16", "int64", "int2",  "fp32", "fp16",
                             "bf16",  "fx+0",  "fx+12", "fx+40", "e5m2", "e8m23"};

template <typename T, size_t N> const char* pick(const T (&a)[N], uint8_t b) {
  return a[b % N];
}

struct Redirect { // stdin from the input for the duration of one call
  FILE* saved = stdin;
  FILE* f;
  Redirect(const uint8_t* data, size_t size)
      : f(size ? fmemopen(const_cast<uint8_t*>(data), size, "r") : fopen("/dev/null", "r")) {
    if (f) stdin = f;
  }
  ~Redirect() {
    stdin = saved;
    if (f) fclose(f);
  }
};

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (!freopen("/dev/null", "w", stdout)) return 1;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  std::vector<std::string> args = {"--a",   pick(kFormats, data[0]),
                                   "--b",   pick(kFormats, data[1]),
                                   "--acc", pick(kAccs, data[2] & 15)};
  if (data[2] & 16) args.push_back("--acc-saturate");
  if (data[2] & 32) args.push_back("--ftz");
  if (data[2] & 64) args.push_back("--trace");
  std::vector<char*> argv;
  for (std::string& a : args)
    argv.push_back(a.data());
  Redirect in(data + 3, size - 3);
  if (!in.f) return 0;
  try {
    qmac::cli::cmd_mac(int(argv.size()), argv.data());
  } catch (const qmac::InputError&) {
  }
  return 0;
}
