// Opening a safetensors file (mmap) and turning its entries into attn tensors. The header has already been
// validated by parse() (safetensors_header.cpp), so every TensorInfo here lies inside the mapping and its
// byte length equals numel × dtype size.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cstring>

#include "attn/io/safetensors.h"
#include "attn/io/safetensors_internal.h"
#include "attn/tensor/copy.h"
#include "attn/tensor/creation.h"

namespace attn::io {

static_assert(std::endian::native == std::endian::little,
              "safetensors data is little-endian; so must the host be");

namespace {

using detail::printable;

[[noreturn]] void fail_io(const std::string& path, const char* what) {
  throw_error(ErrorKind::Io, "safetensors: cannot {} {}: {}", what, path, std::strerror(errno));
}

// Closes a file descriptor on every path out of open().
struct FdCloser {
  int fd;
  ~FdCloser() { ::close(fd); }
};

// Elements of type S read one by one with memcpy (the data may be unaligned), converted by `f` to D.
template <typename S, typename D, typename F>
Tensor widen(const TensorInfo& t, const std::byte* src, DType out, F f) {
  Tensor r = empty(t.shape, out);
  D* d = static_cast<D*>(r.data_ptr());
  const int64_t n = numel(t.shape);
  for (int64_t i = 0; i < n; ++i) {
    S s;
    std::memcpy(&s, src + i * static_cast<int64_t>(sizeof(S)), sizeof(S));
    d[i] = f(s);
  }
  return r;
}

}  // namespace

SafetensorsFile SafetensorsFile::open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail_io(path, "open");
  FdCloser closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) fail_io(path, "stat");
  if (!S_ISREG(st.st_mode))
    throw_error(ErrorKind::Io, "safetensors: cannot read {}: not a regular file", path);

  SafetensorsFile f;
  f.path_ = path;
  f.size_ = static_cast<uint64_t>(st.st_size);
  if (f.size_ >= 8) {  // shorter files fail in parse(); mmap of 0 bytes is an error of its own
    // PROT_WRITE with MAP_PRIVATE: pages are copy-on-write, so callers may modify zero-copy tensors in place
    // without faulting and without touching the file (the descriptor is read-only).
    void* p = ::mmap(nullptr, f.size_, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) fail_io(path, "mmap");
    const size_t len = f.size_;
    f.owner_ = std::shared_ptr<void>(p, [len](void* q) { ::munmap(q, len); });
    f.base_ = static_cast<const std::byte*>(p);
  }
  f.parse();
  return f;
}

SafetensorsFile SafetensorsFile::from_buffer(std::span<const std::byte> bytes, std::shared_ptr<void> owner,
                                             std::string name) {
  SafetensorsFile f;
  f.path_ = std::move(name);
  f.owner_ = std::move(owner);
  f.base_ = bytes.data();
  f.size_ = bytes.size();
  f.parse();
  return f;
}

std::vector<std::string> SafetensorsFile::names() const {
  std::vector<std::string> out;
  out.reserve(index_.size());
  for (const auto& [name, i] : index_) out.push_back(name);  // std::map: byte order
  return out;
}

const TensorInfo& SafetensorsFile::info(const std::string& name) const {
  const auto it = index_.find(name);
  if (it == index_.end()) {
    throw_error(ErrorKind::IndexOutOfRange, "safetensors: {}: no tensor named {} (the file has {} tensors)",
                path_, printable(name), infos_.size());
  }
  return infos_[it->second];
}

std::span<const std::byte> SafetensorsFile::bytes(const std::string& name) const {
  const TensorInfo& t = info(name);
  return {base_ + t.file_offset, t.nbytes()};
}

Tensor SafetensorsFile::tensor(const std::string& name) const {
  const TensorInfo& t = info(name);
  const std::byte* src = base_ + t.file_offset;
  // F32/F64/I64/BOOL alias the mapping when the first element is aligned for its type; a misaligned start
  // (possible only in files whose header length is not a multiple of 8, or written with odd offsets) is
  // copied instead, because typed loads through a misaligned pointer are undefined behaviour.
  const auto view_or_copy = [&](DType dtype) {
    if (t.nbytes() > 0 && reinterpret_cast<uintptr_t>(src) % dtype_size(dtype) == 0) {
      auto storage = Storage::wrap(const_cast<std::byte*>(src), t.nbytes(), owner_);
      return Tensor(std::move(storage), Layout::contiguous(t.shape), dtype);
    }
    return from_blob(src, t.shape, dtype);
  };
  switch (t.dtype) {
    case FileDType::F32:
      return view_or_copy(DType::F32);
    case FileDType::F64:
      return view_or_copy(DType::F64);
    case FileDType::I64:
      return view_or_copy(DType::I64);
    case FileDType::BOOL:
      for (uint64_t i = 0; i < t.nbytes(); ++i) {
        if (const auto b = std::to_integer<unsigned>(src[i]); b > 1) {
          throw_error(ErrorKind::Format,
                      "safetensors: {}: tensor {}: BOOL element {} is {} (file byte {}); expected 0 or 1",
                      path_, printable(name), i, b, t.file_offset + i);
        }
      }
      return view_or_copy(DType::Bool);
    case FileDType::F16:
      return widen<uint16_t, float>(t, src, DType::F32, half_to_float);
    case FileDType::BF16:
      return widen<uint16_t, float>(t, src, DType::F32, bfloat16_to_float);
    case FileDType::I32:
      return widen<int32_t, int64_t>(t, src, DType::I64, [](int32_t v) { return int64_t{v}; });
    default:
      break;
  }
  throw_error(
      ErrorKind::Unsupported,
      "safetensors: {}: tensor {} has dtype {}, which attn does not load; expected F32, F64, I64, I32, BOOL, "
      "F16 or BF16 (its raw bytes are available through SafetensorsFile::bytes)",
      path_, printable(name), file_dtype_name(t.dtype));
}

std::map<std::string, Tensor> load_safetensors(const std::string& path) {
  const SafetensorsFile f = SafetensorsFile::open(path);
  std::map<std::string, Tensor> out;
  for (const TensorInfo& t : f.infos()) out.emplace(t.name, f.tensor(t.name));
  return out;
}

}  // namespace attn::io
