// nn::Sequential and nn::ModuleList.
#include "attn/nn/container.h"

namespace attn::nn {

Tensor Sequential::forward(const Tensor& x) const {
  Tensor h = x;
  for (const auto& f : forwards_) h = f(h);
  return h;
}

Module& Sequential::operator[](size_t i) const {
  ATTN_CHECK_KIND(IndexOutOfRange, i < modules_.size(), "Sequential: index {} out of range for {} modules", i,
                  modules_.size());
  return *modules_[i];
}

Module& ModuleList::operator[](size_t i) const {
  ATTN_CHECK_KIND(IndexOutOfRange, i < modules_.size(), "ModuleList: index {} out of range for {} modules", i,
                  modules_.size());
  return *modules_[i];
}

}  // namespace attn::nn
