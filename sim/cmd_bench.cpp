#include "commands.h"
namespace qmac::cli {
int cmd_bench(int, char**) {
  return 0;
}
} // namespace qmac::cli
