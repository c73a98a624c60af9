// Writing safetensors files: the same bytes as Python's safetensors 0.4.5 (Rust crate: tensor.rs `prepare`
// and `Metadata` serialisation), written atomically (temporary file, fsync, rename).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <functional>

#include "attn/io/safetensors.h"
#include "attn/io/safetensors_internal.h"
#include "attn/tensor/copy.h"

namespace attn::io {

namespace {

using detail::printable;
using Sink = std::function<void(const void* data, size_t n)>;

struct Entry {
  const std::string* name;
  FileDType dtype;
  const Tensor* tensor;
  uint64_t begin, end;
};

// The file before any byte is written: header text (padded) and the tensors in file order.
struct Plan {
  std::string header;
  std::vector<Entry> entries;
};

FileDType file_dtype_of(DType d) {
  switch (d) {
    case DType::F32:
      return FileDType::F32;
    case DType::F64:
      return FileDType::F64;
    case DType::I64:
      return FileDType::I64;
    case DType::I32:
      return FileDType::I32;
    case DType::Bool:
      return FileDType::BOOL;
    case DType::F16:
      return FileDType::F16;
    case DType::BF16:
      return FileDType::BF16;
  }
  return FileDType::F32;
}

// A JSON string as serde_json writes it: '"' and '\' escaped, \b \f \n \r \t, other bytes below 0x20 as
// \u00xx (lower-case hex), everything else (UTF-8 included) verbatim.
void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += fmt::format("\\u{:04x}", c);
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

void check_utf8(std::string_view s, const char* what, const std::string& target) {
  if (const size_t bad = detail::invalid_utf8_at(s); bad != std::string_view::npos) {
    throw_error(ErrorKind::Value, "safetensors: cannot write {}: {} {} is not valid UTF-8 (byte {})", target,
                what, printable(s), bad);
  }
}

std::vector<Entry> check_and_order(const std::map<std::string, Tensor>& tensors, const std::string& target) {
  std::vector<Entry> entries;
  entries.reserve(tensors.size());
  for (const auto& [name, t] : tensors) {
    if (name == "__metadata__") {
      throw_error(ErrorKind::Value,
                  "safetensors: cannot write {}: \"__metadata__\" is reserved, not a tensor name", target);
    }
    check_utf8(name, "tensor name", target);
    if (!t.defined()) {
      throw_error(ErrorKind::Value, "safetensors: cannot write {}: tensor {} is undefined", target,
                  printable(name));
    }
    if (t.device() != kCPU) {
      throw_error(ErrorKind::Unsupported, "safetensors: cannot write {}: tensor {} is on {}; expected cpu",
                  target, printable(name), t.device().str());
    }
    entries.push_back(Entry{&name, file_dtype_of(t.dtype()), &t, 0, 0});
  }
  // The crate sorts by descending dtype (its enum order, so wider types first and offsets stay aligned), then
  // by name in byte order.
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    if (a.dtype != b.dtype) return a.dtype > b.dtype;
    return *a.name < *b.name;
  });
  uint64_t offset = 0;
  for (Entry& e : entries) {
    e.begin = offset;
    offset += static_cast<uint64_t>(e.tensor->numel()) * file_dtype_size(e.dtype);
    e.end = offset;
  }
  return entries;
}

Plan plan_file(const std::map<std::string, Tensor>& tensors,
               const std::map<std::string, std::string>& metadata, const std::string& target) {
  Plan plan{"{", check_and_order(tensors, target)};
  std::string& h = plan.header;
  if (!metadata.empty()) {
    h += "\"__metadata__\":{";
    for (const auto& [k, v] : metadata) {
      check_utf8(k, "metadata key", target);
      check_utf8(v, "metadata value", target);
      if (h.back() != '{') h += ',';
      append_json_string(h, k);
      h += ':';
      append_json_string(h, v);
    }
    h += '}';
  }
  for (const Entry& e : plan.entries) {
    if (h.back() != '{') h += ',';
    append_json_string(h, *e.name);
    h += fmt::format(":{{\"dtype\":\"{}\",\"shape\":[{}],\"data_offsets\":[{},{}]}}",
                     file_dtype_name(e.dtype), fmt::join(e.tensor->shape(), ","), e.begin, e.end);
  }
  h += '}';
  h.append((8 - h.size() % 8) % 8, ' ');  // the crate pads so the data section starts 8-byte aligned
  return plan;
}

// The tensor's elements in row-major order (non-contiguous views are gathered into a temporary buffer).
void emit_tensor(const Tensor& t, const Sink& sink) {
  const size_t es = dtype_size(t.dtype());
  const size_t nbytes = static_cast<size_t>(t.numel()) * es;
  if (nbytes == 0) return;
  if (t.is_contiguous()) {
    sink(t.data_ptr(), nbytes);
    return;
  }
  std::vector<std::byte> buf(nbytes);
  const auto* base = static_cast<const std::byte*>(t.storage()->data());
  for_each_strided(t.shape(), contiguous_strides(t.shape()), 0, t.strides(), t.offset(),
                   [&](int64_t i, int64_t j) { std::memcpy(buf.data() + i * es, base + j * es, es); });
  sink(buf.data(), nbytes);
}

void emit(const Plan& plan, const Sink& sink) {
  unsigned char len[8];
  uint64_t n = plan.header.size();
  for (auto& b : len) {  // little-endian u64
    b = static_cast<unsigned char>(n & 0xff);
    n >>= 8;
  }
  sink(len, 8);
  sink(plan.header.data(), plan.header.size());
  for (const Entry& e : plan.entries) emit_tensor(*e.tensor, sink);
}

// The temporary file of one save: closed and removed unless commit() ran.
class TempFile {
 public:
  TempFile(std::string path, std::string target) : path_(std::move(path)), target_(std::move(target)) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd_ < 0) fail("create");
  }
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  void write(const void* data, size_t n) {
    const auto* p = static_cast<const char*>(data);
    while (n > 0) {
      const ssize_t w = ::write(fd_, p, std::min<size_t>(n, size_t{1} << 30));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) fail("write");
      p += w;
      n -= static_cast<size_t>(w);
    }
  }
  // fsync, close, rename over the target: after this the target holds the new bytes in full.
  void commit() {
    if (::fsync(fd_) != 0) fail("fsync");
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail("close");
    if (::rename(path_.c_str(), target_.c_str()) != 0) fail("rename");
    committed_ = true;
  }

 private:
  [[noreturn]] void fail(const char* what) const {
    throw_error(ErrorKind::Io,
                "safetensors: cannot write {}: {} of temporary file {} failed: {} ({} is unchanged)", target_,
                what, path_, std::strerror(errno), target_);
  }
  std::string path_, target_;
  int fd_ = -1;
  bool committed_ = false;
};

// Makes the rename durable. Best effort: some filesystems refuse fsync on directories.
void fsync_parent_dir(const std::string& path) {
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

void save_safetensors(const std::string& path, const std::map<std::string, Tensor>& tensors,
                      const std::map<std::string, std::string>& metadata) {
  const Plan plan = plan_file(tensors, metadata, path);  // every check runs before the file system is touched
  // pid + a per-process counter: concurrent saves from several processes or threads never share a temp file.
  static std::atomic<uint64_t> counter{0};
  TempFile tmp(fmt::format("{}.tmp.{}.{}", path, ::getpid(), counter++), path);
  emit(plan, [&](const void* data, size_t n) { tmp.write(data, n); });
  tmp.commit();
  fsync_parent_dir(path);
}

std::vector<std::byte> serialize_safetensors(const std::map<std::string, Tensor>& tensors,
                                             const std::map<std::string, std::string>& metadata) {
  const Plan plan = plan_file(tensors, metadata, "<buffer>");
  std::vector<std::byte> out;
  emit(plan, [&](const void* data, size_t n) {
    const auto* p = static_cast<const std::byte*>(data);
    out.insert(out.end(), p, p + n);
  });
  return out;
}

}  // namespace attn::io
