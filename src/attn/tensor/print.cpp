// Tensor::str — printing in PyTorch's layout:
//   tensor([[ 0.1000, -2.0000],
//           [ 3.5000,  4.0000]], dtype=torch.float64)
// Floats use 4 decimals (scientific notation when the magnitudes span > 1e3 or exceed 1e8, as PyTorch),
// integers print as integers, bool as True/False; more than 1000 elements are summarised with "...".
#include <cmath>
#include <string>
#include <vector>

#include "attn/tensor/tensor.h"

namespace attn {

namespace {
constexpr int64_t kThreshold = 1000, kEdge = 3;

struct Formatter {
  DType dtype;
  bool sci = false;
  bool int_mode = false;  // float tensor whose values are all integers: "1.", "-2."
  size_t width = 1;

  std::string format(double v) const {
    if (dtype == DType::Bool) return v != 0 ? "True" : "False";
    if (!is_floating(dtype)) return fmt::format("{}", static_cast<int64_t>(v));
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    if (sci) return fmt::format("{:.4e}", v);
    if (int_mode) return fmt::format("{:.0f}.", v);
    return fmt::format("{:.4f}", v);
  }
};

Formatter make_formatter(const Tensor& t, const std::vector<double>& values) {
  Formatter f{t.dtype()};
  if (is_floating(t.dtype())) {
    double lo = INFINITY, hi = 0;
    bool all_int = true;
    for (double v : values) {
      if (!std::isfinite(v)) continue;
      all_int = all_int && v == std::nearbyint(v);
      if (v != 0) {
        lo = std::min(lo, std::fabs(v));
        hi = std::max(hi, std::fabs(v));
      }
    }
    // PyTorch's _Formatter: integer-valued floats print as "3.", others with 4 decimals; scientific
    // notation when the nonzero magnitudes span more than 1e3, exceed 1e8, or (non-integers) go below 1e-4.
    f.int_mode = all_int;
    if (hi > 0) f.sci = hi / lo > 1000.0 || hi > 1e8 || (!all_int && lo < 1e-4);
  }
  for (double v : values) f.width = std::max(f.width, f.format(v).size());
  return f;
}

// Row-major linear index of a multi-index.
int64_t linear_of(const Shape& shape, const std::vector<int64_t>& idx) {
  int64_t l = 0;
  for (size_t d = 0; d < shape.size(); ++d) l = l * shape[d] + idx[d];
  return l;
}

bool summarize(const Tensor& t) { return t.numel() > kThreshold; }

// Indices shown along a dimension of `size` (all, or the first and last kEdge with a gap marked -1).
std::vector<int64_t> shown(int64_t size, bool summ) {
  std::vector<int64_t> out;
  if (!summ || size <= 2 * kEdge) {
    for (int64_t i = 0; i < size; ++i) out.push_back(i);
  } else {
    for (int64_t i = 0; i < kEdge; ++i) out.push_back(i);
    out.push_back(-1);
    for (int64_t i = size - kEdge; i < size; ++i) out.push_back(i);
  }
  return out;
}

void collect(const Tensor& t, size_t d, std::vector<int64_t>& idx, std::vector<double>& out) {
  if (d == t.shape().size()) {
    out.push_back(element_as_double(t, linear_of(t.shape(), idx)));
    return;
  }
  for (int64_t i : shown(t.shape()[d], summarize(t))) {
    if (i < 0) continue;
    idx[d] = i;
    collect(t, d + 1, idx, out);
  }
}

// PyTorch's _tensor_str_with_formatter / _vector_str: rows wrap at 80 columns; "..." marks a summarised gap.
void render(const Tensor& t, const Formatter& f, size_t d, std::vector<int64_t>& idx, size_t indent,
            std::string& s) {
  const size_t nd = t.shape().size();
  const auto items = shown(t.shape()[d], summarize(t));
  if (d + 1 == nd) {
    const size_t per_line = std::max<size_t>(1, (80 - std::min<size_t>(indent, 79)) / (f.width + 2));
    std::vector<std::string> data;
    for (int64_t i : items) {
      if (i < 0) {
        data.push_back(" ...");
        continue;
      }
      idx[d] = i;
      const std::string v = f.format(element_as_double(t, linear_of(t.shape(), idx)));
      std::string padded(f.width - v.size(), ' ');
      data.push_back(padded.append(v));
    }
    s += '[';
    for (size_t k = 0; k < data.size(); ++k) {
      if (k > 0 && k % per_line == 0) {
        s += ",\n";
        s.append(indent + 1, ' ');
      } else if (k > 0) {
        s += ", ";
      }
      s += data[k];
    }
    s += ']';
    return;
  }
  s += '[';
  for (size_t k = 0; k < items.size(); ++k) {
    if (k > 0) {
      s += ',';
      s.append(nd - d - 1, '\n');
      s.append(indent + 1, ' ');
    }
    if (items[k] < 0) {
      s += "...";
      continue;
    }
    idx[d] = items[k];
    render(t, f, d + 1, idx, indent + 1, s);
  }
  s += ']';
}
}  // namespace

std::string Tensor::str() const {
  if (!defined()) return "tensor(undefined)";
  std::string s = "tensor(";
  if (dtype() == DType::F16 || dtype() == DType::BF16) {
    s += fmt::format("<{} data, convert to float32 to print>", dtype_name(dtype()));
  } else {
    std::vector<int64_t> idx(shape().size(), 0);
    std::vector<double> values;
    collect(*this, 0, idx, values);
    const Formatter f = make_formatter(*this, values);
    if (dim() == 0) {
      s += f.format(values[0]);
    } else if (numel() == 0) {
      s += "[]";
    } else {
      render(*this, f, 0, idx, 7, s);  // 7 = len("tensor(")
    }
  }
  if (numel() == 0 && dim() > 1) s += fmt::format(", size=({})", fmt::join(shape(), ", "));
  if (dtype() != DType::F32 && dtype() != DType::I64 && dtype() != DType::Bool)
    s += fmt::format(", dtype=torch.{}", dtype_name(dtype()));
  if (requires_grad() && is_leaf()) s += ", requires_grad=True";
  s += ')';
  return s;
}

}  // namespace attn
