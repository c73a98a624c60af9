// attn/core/rng.h — attn::Generator, the seeded source of all randomness (init, dropout, sampling).
//
// A 64-bit Mersenne Twister with our own uniform and normal transforms, so a seed gives the same numbers on
// every platform and compiler (std::normal_distribution is implementation-defined). It does not reproduce
// PyTorch's stream: tests compare distributions with PyTorch, and values through fixtures.
#pragma once

#include <cstdint>
#include <random>

namespace attn {

class Generator {
 public:
  explicit Generator(uint64_t seed = 5489u) : engine_(seed) {}
  void manual_seed(uint64_t seed) {
    engine_.seed(seed);
    has_spare_ = false;
  }

  uint64_t next_u64() { return engine_(); }
  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(engine_() >> 11) * (1.0 / 9007199254740992.0); }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Standard normal by Box–Muller (the second value of each pair is kept for the next call).
  double normal();
  double normal(double mean, double std) { return mean + std * normal(); }
  // Uniform integer in [0, n).
  uint64_t randint(uint64_t n) { return n == 0 ? 0 : engine_() % n; }

 private:
  std::mt19937_64 engine_;
  bool has_spare_ = false;
  double spare_ = 0.0;
};

// The process-wide default generator (seeded with attn::manual_seed).
Generator& default_generator();
void manual_seed(uint64_t seed);

}  // namespace attn
