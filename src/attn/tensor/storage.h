// attn/tensor/storage.h — a flat, 64-byte aligned block of bytes shared by a tensor and all its views.
//
// Storage either owns its memory (allocate) or borrows it from an owner kept alive by a shared_ptr (wrap),
// which is how a memory-mapped safetensors file backs tensors without copying.
//
// Freed blocks of 128 KiB and more are kept for reuse (up to 512 MiB in all; ATTN_MEMORY_CACHE_MB sets the
// limit, 0 turns it off; always off under AddressSanitizer): a model's forward pass allocates the same
// activation sizes every call, and fresh pages from the kernel cost a page fault and a zeroing each.
#pragma once

#include <cstddef>
#include <memory>

namespace attn {

class Storage {
 public:
  // Uninitialised memory of nbytes (at least 1 byte is allocated so data() is never null).
  static std::shared_ptr<Storage> allocate(size_t nbytes);
  // Borrowed memory: `owner` keeps `data` valid for as long as this storage lives.
  static std::shared_ptr<Storage> wrap(void* data, size_t nbytes, std::shared_ptr<void> owner);

  // Bytes held by freed blocks kept for reuse; set_cache_limit(0) frees them all and stops keeping any.
  static size_t cached_bytes();
  static void set_cache_limit(size_t bytes);

  void* data() const { return data_; }
  size_t nbytes() const { return nbytes_; }

 private:
  void* data_ = nullptr;
  size_t nbytes_ = 0;
  std::shared_ptr<void> owner_;
};

}  // namespace attn
