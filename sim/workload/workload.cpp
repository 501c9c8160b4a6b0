#include "workload.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>

namespace qmac::sim {
namespace {

constexpr uint64_t kU64Max = std::numeric_limits<uint64_t>::max();

// a*b, or false if it does not fit in 64 bits.
bool mul_ok(uint64_t a, uint64_t b, uint64_t& out) {
  if (a != 0 && b > kU64Max / a) return false;
  out = a * b;
  return true;
}

std::string shape_text(const GemmShape& g) {
  return std::to_string(g.M) + "x" + std::to_string(g.K) + "x" + std::to_string(g.N);
}

// Decimal digits only (no sign, no spaces); false if empty, not digits or above `limit`.
bool parse_uint(std::string_view s, uint64_t limit, uint64_t& out) {
  if (s.empty()) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    const uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (limit - d) / 10) return false; // v*10 + d > limit
    v = v * 10 + d;
  }
  out = v;
  return true;
}

std::string_view trim(std::string_view s) {
  const char* ws = " \t\r\n\v\f";
  const auto b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------
// Built-in workloads

// A square convolution lowered the way SCALE-Sim (and im2col) does: one GEMM row per
// output pixel, one column per filter, the filter window times channels as K.
GemmShape conv_gemm(std::string name, uint64_t in_hw, uint64_t filter, uint64_t channels,
                    uint64_t filters, uint64_t stride, uint64_t pad) {
  const uint64_t out = (in_hw + 2 * pad - filter) / stride + 1;
  return {std::move(name), out * out, filter * filter * channels, filters, 1};
}

// torchvision's ResNet-50 (v1.5: the stride-2 of a stage sits on its 3x3 conv),
// 224x224 ImageNet input, batch 1.
Workload resnet50() {
  Workload w;
  w.name = "resnet50";
  w.description = "ResNet-50 v1.5 (torchvision), ImageNet 224x224, batch 1: all 53 "
                  "convolutions as im2col GEMMs (M = output pixels, K = R*S*C, N = filters), "
                  "then the final fully connected layer (2048 -> 1000, M = 1)";
  w.layers.push_back(conv_gemm("conv1", 224, 7, 3, 64, 2, 3)); // -> 112x112
  uint64_t hw = 56;                                            // after the 3x3/2 max pool
  uint64_t in_ch = 64;
  struct Stage {
    int blocks;
    uint64_t width, stride;
  };
  const Stage stages[] = {{3, 64, 1}, {4, 128, 2}, {6, 256, 2}, {3, 512, 2}};
  for (int s = 0; s < 4; ++s) {
    const Stage& st = stages[s];
    const uint64_t out_ch = st.width * 4; // bottleneck expansion
    for (int b = 0; b < st.blocks; ++b) {
      const uint64_t stride = b == 0 ? st.stride : 1;
      const std::string p = "layer" + std::to_string(s + 1) + "." + std::to_string(b) + ".";
      const uint64_t out_hw = (hw + 2 - 3) / stride + 1;
      w.layers.push_back(conv_gemm(p + "conv1", hw, 1, in_ch, st.width, 1, 0));
      w.layers.push_back(conv_gemm(p + "conv2", hw, 3, st.width, st.width, stride, 1));
      w.layers.push_back(conv_gemm(p + "conv3", out_hw, 1, st.width, out_ch, 1, 0));
      // The first block of each stage changes the channel count: a 1x1 projection
      // shortcut with the block's stride.
      if (b == 0) w.layers.push_back(conv_gemm(p + "downsample", hw, 1, in_ch, out_ch, stride, 0));
      hw = out_hw;
      in_ch = out_ch;
    }
  }
  w.layers.push_back({"fc", 1, 2048, 1000, 1});
  return w;
}

Workload bert_base() {
  const uint64_t seq = 128, hidden = 768, heads = 12, head_dim = 64, ffn = 3072;
  Workload w;
  w.name = "bert-base";
  w.description = "one BERT-base encoder layer (hidden 768, 12 heads of 64, FFN 3072), "
                  "sequence length 128, batch 1";
  w.layers = {
      {"q_proj", seq, hidden, hidden, 1},
      {"k_proj", seq, hidden, hidden, 1},
      {"v_proj", seq, hidden, hidden, 1},
      {"attn_scores", seq, head_dim, seq, heads}, // Q K^T per head
      {"attn_v", seq, seq, head_dim, heads},      // softmax(scores) V per head
      {"out_proj", seq, hidden, hidden, 1},
      {"ffn_up", seq, hidden, ffn, 1},
      {"ffn_down", seq, ffn, hidden, 1},
  };
  return w;
}

// One LLaMA-2-7B-like decoder layer: `tokens` new tokens attending to `context` tokens.
Workload llm7b(std::string name, std::string description, uint64_t tokens, uint64_t context) {
  const uint64_t hidden = 4096, heads = 32, head_dim = 128, ffn = 11008;
  Workload w;
  w.name = std::move(name);
  w.description = std::move(description);
  w.layers = {
      {"q_proj", tokens, hidden, hidden, 1},
      {"k_proj", tokens, hidden, hidden, 1},
      {"v_proj", tokens, hidden, hidden, 1},
      {"attn_scores", tokens, head_dim, context, heads},
      {"attn_v", tokens, context, head_dim, heads},
      {"o_proj", tokens, hidden, hidden, 1},
      {"gate_proj", tokens, hidden, ffn, 1},
      {"up_proj", tokens, hidden, ffn, 1},
      {"down_proj", tokens, ffn, hidden, 1},
  };
  return w;
}

// ---------------------------------------------------------------------------
// SCALE-Sim topology files

// Offending text as it goes into a one-line message: control characters (a binary
// file, a stray \r) shown as '?', long lines cut.
std::string clip(std::string_view s) {
  constexpr size_t kMax = 80;
  std::string out;
  for (char c : s.substr(0, kMax))
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  if (s.size() > kMax) out += "...";
  return out;
}

[[noreturn]] void fail(const std::string& path, size_t line, const std::string& problem,
                       std::string_view offending) {
  std::string msg = path + ":" + std::to_string(line) + ": " + problem;
  if (!offending.empty()) msg += " (" + clip(offending) + ")";
  throw InputError(msg);
}

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  for (;;) {
    const size_t comma = line.find(',', start);
    fields.push_back(trim(line.substr(start, comma - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return fields;
}

// "dir/resnet50.csv" -> "resnet50".
std::string base_name(const std::string& path) {
  std::string name = path.substr(path.find_last_of('/') + 1);
  const size_t dot = name.find_last_of('.');
  if (dot != std::string::npos && dot > 0) name.erase(dot);
  return name.empty() ? path : name;
}

const char* const kConvColumns[] = {"Layer name",   "IFMAP Height", "IFMAP Width", "Filter Height",
                                    "Filter Width", "Channels",     "Num Filter",  "Strides"};
const char* const kGemmColumns[] = {"Layer", "M", "N", "K"};

class TopologyParser {
public:
  TopologyParser(std::string_view text, const std::string& path) : text_(text), path_(path) {
    // A byte order mark from spreadsheet exports would otherwise glue onto the header.
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") text_.remove_prefix(3);
  }

  Workload parse() {
    std::string_view header;
    size_t header_line = 0;
    std::string_view line;
    while (next_line(line)) {
      // Spreadsheet exports write blank rows as bare commas (SCALE-Sim's own
      // Resnet50.csv has one): skip those like blank lines.
      if (trim(line).find_first_not_of(", \t") == std::string_view::npos) continue;
      if (header_line == 0) {
        header = trim(line);
        header_line = line_no_;
        read_header(header);
        continue;
      }
      add_layer(trim(line));
    }
    if (header_line == 0) fail(path_, 1, "empty topology file, expected a header line", "");
    if (w_.layers.empty()) fail(path_, header_line, "no layers after the header", header);

    w_.name = base_name(path_);
    w_.description = std::string("SCALE-Sim ") + (gemm_ ? "GEMM" : "convolution") + " topology " +
                     path_ + " (" + std::to_string(w_.layers.size()) +
                     (w_.layers.size() == 1 ? " layer)" : " layers)");
    return w_;
  }

private:
  bool next_line(std::string_view& line) {
    if (pos_ > text_.size() || (pos_ == text_.size() && line_no_ > 0)) return false;
    const size_t nl = text_.find('\n', pos_);
    const size_t end = nl == std::string_view::npos ? text_.size() : nl;
    line = text_.substr(pos_, end - pos_);
    pos_ = nl == std::string_view::npos ? text_.size() + 1 : nl + 1;
    ++line_no_;
    return true;
  }

  void read_header(std::string_view header) {
    const auto f = split_fields(header);
    uint64_t ignored;
    // Without this a file that lacks its header would silently lose its first layer.
    if (f.size() >= 2 && parse_uint(f[1], kU64Max, ignored))
      fail(path_, line_no_, "expected a header line first, this looks like a layer", header);
    gemm_ = f.size() >= 2 && iequals(f[1], "M");
    // SCALE-Sim's GEMM column order is M, N, K; a file written as M, K, N would
    // otherwise be read with K and N swapped.
    if (gemm_ && (f.size() < 4 || !iequals(f[2], "N") || !iequals(f[3], "K")))
      fail(path_, line_no_, "GEMM topology header must be 'Layer, M, N, K'", header);
    // Anything else must be SCALE-Sim's convolution header; a file of some
    // other table would otherwise be read column by column as convolutions.
    if (!gemm_ && (f.size() < 2 || !iequals(f[1], kConvColumns[1])))
      fail(path_, line_no_,
           "not a SCALE-Sim topology header: expected 'Layer name, IFMAP Height, ...' "
           "(convolutions) or 'Layer, M, N, K' (GEMMs)",
           header);
  }

  // The field count a row must have: the columns, plus one empty field when the row
  // ends in a comma.
  std::vector<std::string_view> row_fields(std::string_view line) {
    const size_t want = gemm_ ? 4 : 8;
    auto f = split_fields(line);
    if (f.size() == want + 1 && f.back().empty()) f.pop_back();
    if (f.size() != want) {
      std::string cols;
      for (size_t i = 0; i < want; ++i)
        cols += std::string(i ? ", " : "") + (gemm_ ? kGemmColumns[i] : kConvColumns[i]);
      fail(path_, line_no_,
           "expected " + std::to_string(want) + " fields (" + cols + "), found " +
               std::to_string(f.size()),
           line);
    }
    return f;
  }

  uint64_t positive(std::string_view field, const char* column) {
    const std::string col(column);
    if (field.empty()) fail(path_, line_no_, col + " is empty", line_);
    uint64_t v = 0;
    if (!parse_uint(field, kMaxGemmDim, v)) {
      const bool digits = field.find_first_not_of("0123456789") == std::string_view::npos;
      fail(path_, line_no_,
           col + (digits ? " is above the limit 2^31" : " is not a positive integer"), field);
    }
    if (v == 0) fail(path_, line_no_, col + " must be at least 1", field);
    return v;
  }

  void add_layer(std::string_view line) {
    line_ = line;
    const auto f = row_fields(line);
    GemmShape g;
    g.name = f[0].empty() ? "layer" + std::to_string(w_.layers.size() + 1) : std::string(f[0]);
    if (gemm_) {
      g.M = positive(f[1], "M");
      g.N = positive(f[2], "N");
      g.K = positive(f[3], "K");
    } else {
      uint64_t v[8];
      for (int i = 1; i < 8; ++i)
        v[i] = positive(f[i], kConvColumns[i]);
      const uint64_t ih = v[1], iw = v[2], fh = v[3], fw = v[4], ch = v[5], nf = v[6], st = v[7];
      if (fh > ih)
        fail(path_, line_no_,
             "Filter Height " + std::to_string(fh) + " is larger than IFMAP Height " +
                 std::to_string(ih),
             line);
      if (fw > iw)
        fail(path_, line_no_,
             "Filter Width " + std::to_string(fw) + " is larger than IFMAP Width " +
                 std::to_string(iw),
             line);
      // The ifmap dims in SCALE-Sim files already include padding.
      const uint64_t oh = (ih - fh) / st + 1, ow = (iw - fw) / st + 1;
      uint64_t k = 0;
      if (!mul_ok(oh, ow, g.M) || !mul_ok(fh, fw, k) || !mul_ok(k, ch, g.K))
        fail(path_, line_no_, "lowered GEMM dimension overflows 64 bits", line);
      g.N = nf;
      if (g.M > kMaxGemmDim || g.K > kMaxGemmDim)
        fail(path_, line_no_,
             "lowered GEMM MxKxN = " + shape_text(g) + " has a dimension above the limit 2^31",
             line);
    }
    uint64_t macs = 0, k_times_n = 0;
    if (!mul_ok(g.M, g.K, k_times_n) || !mul_ok(k_times_n, g.N, macs))
      fail(path_, line_no_, "MAC count of GEMM " + shape_text(g) + " overflows 64 bits", line);
    if (macs > kU64Max - total_)
      fail(path_, line_no_, "total MAC count of the topology overflows 64 bits", line);
    total_ += macs;
    w_.layers.push_back(std::move(g));
  }

  std::string_view text_;
  const std::string& path_;
  size_t pos_ = 0;
  size_t line_no_ = 0;
  std::string_view line_; // the row being read, for messages
  bool gemm_ = false;
  uint64_t total_ = 0;
  Workload w_;
};

} // namespace

uint64_t GemmShape::macs() const {
  uint64_t mk = 0, mkn = 0, all = 0;
  if (!mul_ok(M, K, mk) || !mul_ok(mk, N, mkn) || !mul_ok(mkn, count, all))
    throw InputError("GEMM '" + name + "' " + shape_text(*this) + " x " + std::to_string(count) +
                     ": MAC count overflows 64 bits");
  return all;
}

uint64_t Workload::macs() const {
  uint64_t total = 0;
  for (const GemmShape& g : layers) {
    const uint64_t m = g.macs();
    if (m > kU64Max - total)
      throw InputError("workload '" + name + "': total MAC count overflows 64 bits");
    total += m;
  }
  return total;
}

GemmShape parse_gemm(std::string_view text) {
  const auto bad = [&](const std::string& why) {
    return InputError("bad GEMM shape '" + clip(text) + "': " + why);
  };
  uint64_t dims[3] = {0, 0, 0};
  size_t start = 0;
  for (int i = 0; i < 3; ++i) {
    const size_t x = i < 2 ? text.find_first_of("xX", start) : text.size();
    if (x == std::string_view::npos) throw bad("expected MxKxN, e.g. 128x256x64");
    const std::string_view part = text.substr(start, x - start);
    if (!parse_uint(part, kMaxGemmDim, dims[i]) || dims[i] == 0)
      throw bad("expected MxKxN with each a decimal integer from 1 to 2^31 (2147483648), "
                "e.g. 128x256x64");
    start = x + 1;
  }
  GemmShape g{std::string(text), dims[0], dims[1], dims[2], 1};
  uint64_t mk = 0, mkn = 0;
  if (!mul_ok(g.M, g.K, mk) || !mul_ok(mk, g.N, mkn)) throw bad("MAC count overflows 64 bits");
  return g;
}

const std::vector<std::string>& builtin_workload_names() {
  static const std::vector<std::string> names = {"resnet50", "bert-base", "llm7b-prefill",
                                                 "llm7b-decode"};
  return names;
}

Workload builtin_workload(std::string_view name) {
  if (name == "resnet50") return resnet50();
  if (name == "bert-base") return bert_base();
  if (name == "llm7b-prefill")
    return llm7b("llm7b-prefill",
                 "one LLaMA-2-7B-like decoder layer (hidden 4096, 32 heads of 128, SwiGLU FFN "
                 "11008), prefill of 2048 tokens, batch 1; full (unmasked) 2048x2048 attention "
                 "scores per head",
                 2048, 2048);
  if (name == "llm7b-decode")
    return llm7b("llm7b-decode",
                 "one LLaMA-2-7B-like decoder layer (hidden 4096, 32 heads of 128, SwiGLU FFN "
                 "11008), decoding 1 token against a KV cache of 2048 tokens, batch 1",
                 1, 2048);
  std::string known;
  for (const std::string& n : builtin_workload_names())
    known += (known.empty() ? "" : ", ") + n;
  throw InputError("unknown workload '" + clip(name) + "' (known: " + known + ")");
}

Workload parse_topology(std::string_view text, const std::string& path) {
  return TopologyParser(text, path).parse();
}

Workload read_topology(const std::string& path) {
  const auto unreadable = [&] {
    return InputError(path + ": cannot read the topology file (" +
                      (errno ? std::strerror(errno) : "read error") + ")");
  };
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw unreadable();
  std::string text;
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0)
    text.append(buf, in.gcount());
  if (in.bad()) throw unreadable(); // e.g. a directory: it opens but does not read
  return parse_topology(text, path);
}

} // namespace qmac::sim
