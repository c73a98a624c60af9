#include "attn/core/threads.h"

#include <omp.h>

#include <cstdlib>
#include <string>

#include "attn/core/error.h"

extern "C" {
void openblas_set_num_threads(int);
int openblas_get_num_threads(void);
char* openblas_get_config(void);
char* openblas_get_corename(void);
int openblas_get_parallel(void);
}

namespace attn {

namespace {
int initial_threads() {
  if (const char* env = std::getenv("ATTN_NUM_THREADS")) {
    char* end = nullptr;
    long n = std::strtol(env, &end, 10);
    ATTN_CHECK(end != env && *end == '\0' && n >= 1 && n <= 1024,
               "ATTN_NUM_THREADS: expected a positive integer, got '{}'", env);
    return static_cast<int>(n);
  }
  return omp_get_max_threads();
}

int& thread_count() {
  static int n = [] {
    int k = initial_threads();
    omp_set_num_threads(k);
    openblas_set_num_threads(k);
    return k;
  }();
  return n;
}
// Applies ATTN_NUM_THREADS to OpenMP and OpenBLAS when the program starts, before any BLAS call. A bad value
// is not thrown here (that would terminate before main): the next get_num_threads() throws it as an Error.
[[maybe_unused]] const bool kThreadsAtStartup = [] {
  try {
    thread_count();
    return true;
  } catch (const Error&) {
    return false;
  }
}();
}  // namespace

void set_num_threads(int n) {
  ATTN_CHECK(n >= 1, "set_num_threads: expected n >= 1, got {}", n);
  thread_count() = n;
  omp_set_num_threads(n);
  openblas_set_num_threads(n);
}

int get_num_threads() { return thread_count(); }

std::string blas_info() {
  const int parallel = openblas_get_parallel();  // 0 sequential, 1 pthreads, 2 OpenMP
  const char* mode = parallel == 2 ? "OpenMP" : parallel == 1 ? "pthreads" : "sequential";
  return fmt::format("{} ({} threading, core {})", openblas_get_config(), mode, openblas_get_corename());
}

}  // namespace attn
