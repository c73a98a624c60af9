// attn/tensor/storage.h — a flat, 64-byte aligned block of bytes shared by a tensor and all its views.
//
// Storage either owns its memory (allocate) or borrows it from an owner kept alive by a shared_ptr (wrap),
// which is how a memory-mapped safetensors file backs tensors without copying.
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

  void* data() const { return data_; }
  size_t nbytes() const { return nbytes_; }

 private:
  void* data_ = nullptr;
  size_t nbytes_ = 0;
  std::shared_ptr<void> owner_;
};

}  // namespace attn
