#include "attn/tensor/storage.h"

#include <cstdlib>
#include <new>

#include "attn/core/error.h"

namespace attn {

std::shared_ptr<Storage> Storage::allocate(size_t nbytes) {
  constexpr size_t kAlign = 64;  // one cache line; also what AVX-512 loads like
  const size_t rounded = ((nbytes == 0 ? 1 : nbytes) + kAlign - 1) / kAlign * kAlign;
  void* p = std::aligned_alloc(kAlign, rounded);
  if (p == nullptr) throw_error(ErrorKind::Value, "Storage: cannot allocate {} bytes", nbytes);
  auto s = std::make_shared<Storage>();
  s->data_ = p;
  s->nbytes_ = nbytes;
  s->owner_ = std::shared_ptr<void>(p, [](void* q) { std::free(q); });
  return s;
}

std::shared_ptr<Storage> Storage::wrap(void* data, size_t nbytes, std::shared_ptr<void> owner) {
  auto s = std::make_shared<Storage>();
  s->data_ = data;
  s->nbytes_ = nbytes;
  s->owner_ = std::move(owner);
  return s;
}

}  // namespace attn
