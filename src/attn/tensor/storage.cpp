#include "attn/tensor/storage.h"

#include <cstdlib>
#include <iterator>
#include <map>
#include <mutex>
#include <new>
#include <string>

#include "attn/core/error.h"

namespace attn {

namespace {

constexpr size_t kAlign = 64;             // one cache line; also what AVX-512 loads like
constexpr size_t kCacheMin = 128u << 10;  // blocks from 128 KiB (glibc mmaps from there) use the cache
constexpr size_t kGranule = 1u << 12;     // and are rounded up to whole 4 KiB pages

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

// Freed large blocks by capacity. Why: glibc serves blocks this size with mmap (or trims them off the heap)
// and returns them to the kernel on free, so every forward pass of a model faulted its activations in again
// and the kernel zeroed each page — 26 % of BERT's batched forward at 32 × 128 in perf (clear_page_erms).
// Keeping up to `limit` bytes of freed blocks for the next allocation of about the same size removes that
// (ONNX Runtime's arena does the same). Off under AddressSanitizer, which must see every free.
struct BlockCache {
  std::mutex m;
  std::multimap<size_t, void*> blocks;  // capacity → block
  size_t bytes = 0;
  size_t limit = [] {
    const char* env = std::getenv("ATTN_MEMORY_CACHE_MB");
    return kSanitized ? 0
           : env      ? static_cast<size_t>(std::strtoull(env, nullptr, 10)) << 20
                      : size_t{512} << 20;
  }();
};

BlockCache& cache() {
  static auto* c = new BlockCache;  // never destroyed: storages may be freed during static destruction
  return *c;
}

void release(void* p, size_t capacity) {
  if (capacity >= kCacheMin) {
    auto& c = cache();
    std::lock_guard lock(c.m);
    if (c.bytes + capacity <= c.limit) {
      c.blocks.emplace(capacity, p);
      c.bytes += capacity;
      return;
    }
  }
  std::free(p);
}

// A cached block of at least `capacity` bytes and at most a quarter more, or nullptr.
void* reuse(size_t& capacity) {
  auto& c = cache();
  std::lock_guard lock(c.m);
  const auto it = c.blocks.lower_bound(capacity);
  if (it == c.blocks.end() || it->first > capacity + capacity / 4) return nullptr;
  void* p = it->second;
  capacity = it->first;
  c.bytes -= capacity;
  c.blocks.erase(it);
  return p;
}

}  // namespace

std::shared_ptr<Storage> Storage::allocate(size_t nbytes) {
  size_t capacity = ((nbytes == 0 ? 1 : nbytes) + kAlign - 1) / kAlign * kAlign;
  void* p = nullptr;
  if (capacity >= kCacheMin) {
    capacity = (capacity + kGranule - 1) / kGranule * kGranule;
    p = reuse(capacity);
  }
  if (p == nullptr) p = std::aligned_alloc(kAlign, capacity);
  if (p == nullptr) throw_error(ErrorKind::Value, "Storage: cannot allocate {} bytes", nbytes);
  auto s = std::make_shared<Storage>();
  s->data_ = p;
  s->nbytes_ = nbytes;
  s->owner_ = std::shared_ptr<void>(p, [capacity](void* q) { release(q, capacity); });
  return s;
}

size_t Storage::cached_bytes() {
  auto& c = cache();
  std::lock_guard lock(c.m);
  return c.bytes;
}

void Storage::set_cache_limit(size_t bytes) {
  auto& c = cache();
  std::lock_guard lock(c.m);
  c.limit = kSanitized ? 0 : bytes;
  while (c.bytes > c.limit) {  // largest blocks first
    auto it = std::prev(c.blocks.end());
    c.bytes -= it->first;
    std::free(it->second);
    c.blocks.erase(it);
  }
}

std::shared_ptr<Storage> Storage::wrap(void* data, size_t nbytes, std::shared_ptr<void> owner) {
  auto s = std::make_shared<Storage>();
  s->data_ = data;
  s->nbytes_ = nbytes;
  s->owner_ = std::move(owner);
  return s;
}

}  // namespace attn
