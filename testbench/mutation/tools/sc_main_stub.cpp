// The mutation binaries link SystemC (the array mutants run their lockstep
// check in it) but keep their own main(), which the linker prefers to
// libsystemc's; the library still needs the symbol sc_main.
#include <cstdio>

extern "C" int sc_main(int, char**) {
  std::fputs("sc_main is not an entry point of this program\n", stderr);
  return 2;
}
