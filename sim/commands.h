// The qmac subcommands; each takes the arguments after its name.
#pragma once

namespace qmac::cli {

int cmd_formats(int argc, char** argv);
int cmd_quantize(int argc, char** argv);
int cmd_decode(int argc, char** argv);
int cmd_mac(int argc, char** argv);
int cmd_dot(int argc, char** argv);
int cmd_bench(int argc, char** argv);
int cmd_verify(int argc, char** argv);
int cmd_sim(int argc, char** argv);
int cmd_cost(int argc, char** argv);
int cmd_sweep(int argc, char** argv);
int cmd_report(int argc, char** argv);

class Args;
int bench_rtl(const Args& args);     // qmac bench --rtl
int bench_array(const Args& args);   // qmac bench --array
int bench_dot(const Args& args);     // qmac bench --dot
int sim_dot_array(const Args& args); // qmac sim --unit

} // namespace qmac::cli
