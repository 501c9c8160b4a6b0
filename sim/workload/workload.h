// What `qmac sim` runs: a workload is a list of GEMMs. Built-in networks and
// SCALE-Sim topology files are lowered to GEMMs here, so the simulator only ever
// sees C[M x N] = A[M x K] * B[K x N].
//
// Every shape this file hands out (parse_gemm, builtin_workload, read_topology)
// has 1 <= M, K, N <= kMaxGemmDim, count >= 1 and a MAC count that fits in 64 bits.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "qmac/numerics/format.h" // qmac::InputError

namespace qmac::sim {

// The largest M, K or N accepted from any source (2^31).
inline constexpr uint64_t kMaxGemmDim = uint64_t{1} << 31;

// One GEMM: C[M x N] = A[M x K] * B[K x N], repeated `count` times with the same
// shape (e.g. 12 attention heads), independent instances.
struct GemmShape {
  std::string name;
  uint64_t M = 0, K = 0, N = 0;
  uint64_t count = 1;

  // M*K*N*count; throws InputError if it overflows 64 bits.
  uint64_t macs() const;

  bool operator==(const GemmShape& o) const {
    return name == o.name && M == o.M && K == o.K && N == o.N && count == o.count;
  }
  bool operator!=(const GemmShape& o) const { return !(*this == o); }
};

struct Workload {
  std::string name;
  std::string description;
  std::vector<GemmShape> layers;

  // Sum of the layers' MACs; throws InputError if it overflows 64 bits.
  uint64_t macs() const;

  bool operator==(const Workload& o) const {
    return name == o.name && description == o.description && layers == o.layers;
  }
  bool operator!=(const Workload& o) const { return !(*this == o); }
};

// "MxKxN" (decimal, each 1..2^31, e.g. "128x256x64"; 'X' also accepted, no spaces).
// The shape is named by the text. Throws InputError naming the text otherwise,
// also when M*K*N overflows 64 bits.
GemmShape parse_gemm(std::string_view text);

// The built-in workloads, in a stable order: resnet50, bert-base, llm7b-prefill,
// llm7b-decode.
const std::vector<std::string>& builtin_workload_names();

// Throws InputError "unknown workload 'X' (known: a, b, ...)" for an unknown name.
Workload builtin_workload(std::string_view name);

// A SCALE-Sim topology CSV, either format, told apart by the header line:
//  - convolution: "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width,
//    Channels, Num Filter, Strides," -- ifmap dims already include padding; lowered as
//    SCALE-Sim does: M = ofmap H * ofmap W with ofmap = (ifmap - filter) / stride + 1,
//    K = filter H * filter W * channels, N = filters;
//  - GEMM (header's second field is "M"): "Layer, M, N, K," -- note SCALE-Sim's column
//    order, mapped to our M, K, N.
// A trailing comma, blank lines, \r\n and a UTF-8 byte order mark are tolerated.
// Errors are one-line InputErrors "PATH:LINE: problem (offending text)"; a file that
// cannot be read is "PATH: cannot read ... (reason)". The workload is named by the
// file's base name without its extension.
Workload read_topology(const std::string& path);

// Same, from text already in memory (path is used for the name and in messages).
Workload parse_topology(std::string_view text, const std::string& path);

} // namespace qmac::sim
