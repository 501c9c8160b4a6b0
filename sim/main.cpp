// qmac: bit-exact low-precision MAC arithmetic from the command line.
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include "cli.h"
#include "commands.h"
#include "qmac/cost/tool_error.h"

namespace {

const char* kUsage = R"(usage: qmac COMMAND [options]   (qmac COMMAND --help for each)

commands:
  formats    list every named format with its range and special values
  quantize   round reals (stdin, one per line) to codes of a format
  decode     print the exact value of codes (stdin, one per line)
  mac        multiply-accumulate code pairs (stdin) into an accumulator
  dot        dot-product units (tensor cores, FP8 dot instructions): blocks of N products
  bench      bit-exact MACs per second for each format pair, next to a plain fp32 loop
  verify     check the Verilated RTL against the golden model, bit for bit
  sim        simulate GEMMs and networks on a MAC array, cycle by cycle (SystemC)
  cost       area, energy, logic depth and throughput of a MAC: gate model, Yosys, toggles
  sweep      design-space sweeps: cost, throughput and accuracy of many configurations
  report     the efficiency report (HTML, Markdown, figures) of a sweep's results
)";

struct Command {
  const char* name;
  int (*run)(int, char**);
};

const Command kCommands[] = {
    {"formats", qmac::cli::cmd_formats}, {"quantize", qmac::cli::cmd_quantize},
    {"decode", qmac::cli::cmd_decode},   {"mac", qmac::cli::cmd_mac},
    {"dot", qmac::cli::cmd_dot},         {"bench", qmac::cli::cmd_bench},
    {"verify", qmac::cli::cmd_verify},   {"sim", qmac::cli::cmd_sim},
    {"cost", qmac::cli::cmd_cost},       {"sweep", qmac::cli::cmd_sweep},
    {"report", qmac::cli::cmd_report},
};

// Why stdout failed: errno if it names a write failure (stdio leaves it set
// by the failing write, but a later harmless call may have replaced it).
std::string output_failure(int error) {
  for (int known : {ENOSPC, EFBIG, EDQUOT, EIO, EPIPE, EBADF})
    if (error == known) return std::strerror(error);
  return "write error";
}

// 0 if all that was printed reached stdout's file; else 2, said on stderr:
// output lost on a full disk is a failure, never a silent success.
int check_output(const std::string& who) {
  if (std::fflush(stdout) == 0 && !std::ferror(stdout)) return 0;
  std::fprintf(stderr, "%s: cannot write the output: %s\n", who.c_str(),
               output_failure(errno).c_str());
  return 2;
}

// One line on stderr after whatever was printed; returns the exit status.
int fail(const char* command, const std::string& message, int status) {
  std::fflush(stdout);
  std::fprintf(stderr, "qmac %s: %s\n", command, qmac::cli::printable(message).c_str());
  return status;
}

} // namespace

// libsystemc defines its own main() that calls sc_main; qmac has its own
// main(), which the linker prefers, but the library still needs the symbol.
extern "C" int sc_main(int, char**) {
  std::fputs("qmac: sc_main is not an entry point\n", stderr);
  return 1;
}

int main(int argc, char** argv) {
  // Past a file-size limit (ulimit -f) write() then fails with EFBIG, which
  // is reported like a full disk, instead of the signal killing qmac.
  std::signal(SIGXFSZ, SIG_IGN);
  qmac::cli::remember_invocation(argc, argv);
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  if (!std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
    std::fputs(kUsage, stdout);
    return check_output("qmac");
  }
  for (const Command& c : kCommands) {
    if (std::strcmp(argv[1], c.name) != 0) continue;
    try {
      const int status = c.run(argc - 2, argv + 2);
      if (const int failed = check_output(std::string("qmac ") + c.name)) return failed;
      return status;
    } catch (const qmac::InputError& e) {
      return fail(c.name, e.what(), 2);
    } catch (const qmac::cost::ToolError& e) {
      // Yosys or Verilator failed or is missing: not the user's mistake.
      return fail(c.name, e.what(), 1);
    } catch (const std::exception& e) {
      return fail(c.name, std::string("internal error: ") + e.what(), 1);
    }
  }
  std::fprintf(stderr, "qmac: unknown command '%s' (see qmac --help)\n",
               qmac::cli::printable(argv[1]).c_str());
  return 2;
}
