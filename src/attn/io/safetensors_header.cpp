// Parsing and validating a safetensors header (format: safetensors.h). Everything a hostile file can get
// wrong is checked here, before any tensor byte is touched:
//   1. the 8-byte length N: present, ≤ 100 MB, and 8 + N ≤ file size
//   2. the header bytes: valid UTF-8, then JSON, streamed through a SAX handler that accepts only the
//      schema (so a deeply nested or huge header cannot build a huge DOM)
//   3. the layout: sorted by data_offsets the tensors tile the data section exactly, and each one's byte
//      length is product(shape) × dtype size, computed with overflow checks
// The checks and their order follow the Rust crate's read_metadata/validate (safetensors 0.4.5).
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "attn/io/safetensors.h"
#include "attn/io/safetensors_internal.h"

namespace attn::io {

namespace {

constexpr uint64_t kMaxHeaderSize = 100'000'000;  // the Rust crate's MAX_HEADER_SIZE

struct DTypeEntry {
  FileDType dtype;
  std::string_view name;
  size_t size;
};
// In FileDType order.
constexpr std::array<DTypeEntry, 15> kFileDTypes{{{FileDType::BOOL, "BOOL", 1},
                                                  {FileDType::U8, "U8", 1},
                                                  {FileDType::I8, "I8", 1},
                                                  {FileDType::F8_E5M2, "F8_E5M2", 1},
                                                  {FileDType::F8_E4M3, "F8_E4M3", 1},
                                                  {FileDType::I16, "I16", 2},
                                                  {FileDType::U16, "U16", 2},
                                                  {FileDType::F16, "F16", 2},
                                                  {FileDType::BF16, "BF16", 2},
                                                  {FileDType::I32, "I32", 4},
                                                  {FileDType::U32, "U32", 4},
                                                  {FileDType::F32, "F32", 4},
                                                  {FileDType::F64, "F64", 8},
                                                  {FileDType::I64, "I64", 8},
                                                  {FileDType::U64, "U64", 8}}};

constexpr std::string_view kKnownDTypes =
    "BOOL, U8, I8, F8_E5M2, F8_E4M3, I16, U16, F16, BF16, I32, U32, F32, F64, I64, U64";

}  // namespace

size_t file_dtype_size(FileDType d) { return kFileDTypes[static_cast<size_t>(d)].size; }
std::string_view file_dtype_name(FileDType d) { return kFileDTypes[static_cast<size_t>(d)].name; }
std::optional<FileDType> file_dtype_from_name(std::string_view name) {
  for (const auto& e : kFileDTypes)
    if (e.name == name) return e.dtype;
  return std::nullopt;
}

namespace detail {

size_t invalid_utf8_at(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    const unsigned c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    unsigned lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // overlong
      if (c == 0xED) hi = 0x9F;  // UTF-16 surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // overlong
      if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
      return i;
    }
    if (n - i < len || p[i + 1] < lo || p[i + 1] > hi) return i;
    for (size_t k = 2; k < len; ++k)
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return i;
    i += len;
  }
  return std::string_view::npos;
}

std::string printable(std::string_view s) {
  constexpr size_t kMax = 120;
  bool cut = false;
  if (s.size() > kMax) {
    size_t end = kMax;
    while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;  // character boundary
    s = s.substr(0, end);
    cut = true;
  }
  std::string out = "\"";
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20 || c == 0x7F) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += ch;
    }
  }
  out += cut ? "…\"" : "\"";
  return out;
}

}  // namespace detail

namespace {

using detail::printable;

// A SAX handler for exactly the header schema. Any other shape throws attn::Error(Format) at once.
class HeaderHandler {
 public:
  explicit HeaderHandler(const std::string& path) : path_(path) {}

  std::vector<TensorInfo> tensors;
  std::map<std::string, std::string> metadata;

  // ---- nlohmann::json SAX interface ----
  bool null() { return scalar("null"); }
  bool boolean(bool) { return scalar("a boolean"); }
  // nlohmann reports numbers written with a '-' here ("-0" included), others as unsigned.
  bool number_integer(int64_t v) {
    return number(fmt::format("{}", v), v >= 0 ? std::optional<uint64_t>(v) : std::nullopt);
  }
  bool number_unsigned(uint64_t v) { return number(fmt::format("{}", v), v); }
  bool number_float(double, const std::string& text) { return number(text, std::nullopt); }
  bool string(std::string& s);
  bool binary(nlohmann::json::binary_t&) { return scalar("binary data"); }
  bool start_object(size_t);
  bool key(std::string& k);
  bool end_object();
  bool start_array(size_t);
  bool end_array();
  bool parse_error(size_t position, const std::string&, const nlohmann::detail::exception& ex);

 private:
  // Where the parser is: before the root, in the root object, in "__metadata__", in a tensor entry, in its
  // shape or data_offsets array, or inside an unknown field of a tensor entry (skipped, as Python does).
  enum class At { Start, Root, Metadata, Tensor, Shape, Offsets, Skip, Done };
  enum class Field { None, DType, Shape, Offsets, Other };

  [[noreturn]] void fail(const std::string& what) const {
    throw_error(ErrorKind::Format, "safetensors: {}: {}", path_, what);
  }
  std::string tensor_ctx() const { return "tensor " + printable(tensors.back().name); }
  bool scalar(const char* kind);
  bool number(const std::string& text, std::optional<uint64_t> value);
  void finish_tensor();

  const std::string& path_;
  At at_ = At::Start;
  Field field_ = Field::None;
  std::string key_;                // last key read in the root or "__metadata__" object
  std::set<std::string> names_;    // tensor names seen, "__metadata__" included
  std::set<std::string> fields_;   // keys seen in the current tensor entry
  std::vector<uint64_t> numbers_;  // the shape or data_offsets being read
  int skip_depth_ = 0;
};

// A value of `kind` ("a string", "an object", …) where it is not the expected one: fails saying what was
// found and what was expected, unless it is ignored here (unknown fields, "__metadata__": null).
bool HeaderHandler::scalar(const char* kind) {
  switch (at_) {
    case At::Start:
      fail(fmt::format("the header is {} in JSON; expected an object", kind));
    case At::Root:
      if (key_ == "__metadata__" && std::string_view(kind) == "null") return true;  // Python accepts null
      if (key_ == "__metadata__")
        fail(fmt::format("\"__metadata__\" is {}; expected an object of strings", kind));
      fail(fmt::format("entry {} is {}; expected an object with dtype, shape and data_offsets",
                       printable(key_), kind));
    case At::Metadata:
      fail(fmt::format("metadata value {} is {}; expected a string", printable(key_), kind));
    case At::Tensor:
      if (field_ == Field::Other) return true;
      fail(fmt::format(
          "{}: {} is {}; expected {}", tensor_ctx(),
          field_ == Field::DType   ? "dtype"
          : field_ == Field::Shape ? "shape"
                                   : "data_offsets",
          kind, field_ == Field::DType ? "a string such as \"F32\"" : "an array of non-negative integers"));
    case At::Shape:
    case At::Offsets:
      fail(fmt::format("{}: {} holds {}; expected non-negative integers", tensor_ctx(),
                       at_ == At::Shape ? "shape" : "data_offsets", kind));
    case At::Skip:
    case At::Done:
      return true;
  }
  return true;
}

// `value` is set for non-negative integers that fit in 64 bits; `text` is the number as written.
bool HeaderHandler::number(const std::string& text, std::optional<uint64_t> value) {
  if (at_ != At::Shape && at_ != At::Offsets) return scalar("a number");
  const char* what = at_ == At::Shape ? "shape" : "data_offsets";
  if (!value) {
    fail(fmt::format("{}: {}[{}] is {}; expected a non-negative integer below 2^64", tensor_ctx(), what,
                     numbers_.size(), text));
  }
  if (at_ == At::Shape && *value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    fail(fmt::format("{}: shape[{}] is {}; expected at most 2^63-1", tensor_ctx(), numbers_.size(), text));
  }
  numbers_.push_back(*value);
  return true;
}

bool HeaderHandler::string(std::string& s) {
  if (at_ == At::Metadata) {
    metadata.emplace(key_, std::move(s));
    return true;
  }
  if (at_ == At::Tensor && field_ == Field::DType) {
    const auto dt = file_dtype_from_name(s);
    if (!dt)
      fail(fmt::format("{}: unknown dtype {}; expected one of {}", tensor_ctx(), printable(s), kKnownDTypes));
    tensors.back().dtype = *dt;
    return true;
  }
  return scalar("a string");
}

bool HeaderHandler::start_object(size_t) {
  switch (at_) {
    case At::Start:
      at_ = At::Root;
      return true;
    case At::Root:
      if (key_ == "__metadata__") {
        at_ = At::Metadata;
      } else {
        at_ = At::Tensor;
        tensors.push_back(TensorInfo{key_, FileDType::F32, {}, 0, 0, 0});
        fields_.clear();
      }
      return true;
    case At::Tensor:
      if (field_ != Field::Other) return scalar("an object");
      at_ = At::Skip;
      skip_depth_ = 1;
      return true;
    case At::Skip:
      ++skip_depth_;
      return true;
    default:
      return scalar("an object");
  }
}

bool HeaderHandler::key(std::string& k) {
  if (at_ == At::Root) {
    if (!names_.insert(k).second) {
      fail(fmt::format("{} {} appears twice in the header; expected unique names",
                       k == "__metadata__" ? "key" : "tensor name", printable(k)));
    }
    key_ = std::move(k);
  } else if (at_ == At::Metadata) {
    if (metadata.count(k))
      fail(fmt::format("metadata key {} appears twice; expected unique keys", printable(k)));
    key_ = std::move(k);
  } else if (at_ == At::Tensor) {
    if (!fields_.insert(k).second) fail(fmt::format("{}: key {} appears twice", tensor_ctx(), printable(k)));
    field_ = k == "dtype"          ? Field::DType
             : k == "shape"        ? Field::Shape
             : k == "data_offsets" ? Field::Offsets
                                   : Field::Other;
  }
  return true;
}

void HeaderHandler::finish_tensor() {
  for (const char* f : {"dtype", "shape", "data_offsets"}) {
    if (!fields_.count(f)) {
      fail(fmt::format("{} has no \"{}\"; expected dtype, shape and data_offsets", tensor_ctx(), f));
    }
  }
}

bool HeaderHandler::end_object() {
  switch (at_) {
    case At::Root:
      at_ = At::Done;
      break;
    case At::Metadata:
      at_ = At::Root;
      break;
    case At::Tensor:
      finish_tensor();
      at_ = At::Root;
      break;
    case At::Skip:
      if (--skip_depth_ == 0) at_ = At::Tensor;
      break;
    default:
      break;  // the parser only calls end_object where start_object was accepted
  }
  return true;
}

bool HeaderHandler::start_array(size_t) {
  if (at_ == At::Tensor && (field_ == Field::Shape || field_ == Field::Offsets)) {
    at_ = field_ == Field::Shape ? At::Shape : At::Offsets;
    numbers_.clear();
    return true;
  }
  if (at_ == At::Tensor && field_ == Field::Other) {
    at_ = At::Skip;
    skip_depth_ = 1;
    return true;
  }
  if (at_ == At::Skip) {
    ++skip_depth_;
    return true;
  }
  return scalar("an array");
}

bool HeaderHandler::end_array() {
  if (at_ == At::Shape) {
    tensors.back().shape.assign(numbers_.begin(), numbers_.end());
    at_ = At::Tensor;
  } else if (at_ == At::Offsets) {
    if (numbers_.size() != 2) {
      fail(fmt::format("{}: data_offsets has {} entries; expected 2 ([begin, end])", tensor_ctx(),
                       numbers_.size()));
    }
    tensors.back().begin = numbers_[0];
    tensors.back().end = numbers_[1];
    at_ = At::Tensor;
  } else if (at_ == At::Skip) {
    if (--skip_depth_ == 0) at_ = At::Tensor;
  }
  return true;
}

bool HeaderHandler::parse_error(size_t position, const std::string&, const nlohmann::detail::exception& ex) {
  // ex.what() is "[json.exception.parse_error.101] parse error at line 1, column 7: <reason>"; keep <reason>.
  std::string reason = ex.what();
  if (const size_t col = reason.find("column "); col != std::string::npos) {
    if (const size_t colon = reason.find(": ", col); colon != std::string::npos)
      reason = reason.substr(colon + 2);
  }
  if (reason.size() > 200) reason = reason.substr(0, 200) + "…";
  fail(fmt::format("the header is not valid JSON at byte {} of the file: {}",
                   8 + (position > 0 ? position - 1 : 0), reason));
}

[[noreturn]] void fail_layout(const std::string& path, const std::string& what) {
  throw_error(ErrorKind::Format, "safetensors: {}: {}", path, what);
}

// product(shape) × size, or fails naming the tensor if it overflows 64 bits.
uint64_t expected_nbytes(const TensorInfo& t, const std::string& path) {
  uint64_t n = file_dtype_size(t.dtype);
  for (int64_t d : t.shape) {
    if (__builtin_mul_overflow(n, static_cast<uint64_t>(d), &n)) {
      fail_layout(path, fmt::format("tensor {}: shape {} of {} has more bytes than fit in 64 bits",
                                    printable(t.name), shape_str(t.shape), file_dtype_name(t.dtype)));
    }
  }
  return n;
}

// Sorted by (begin, end), the tensors must tile [0, data_size) exactly (Rust crate: Metadata::validate and
// the MetadataIncompleteBuffer check).
void validate_layout(std::vector<TensorInfo>& infos, uint64_t data_start, uint64_t data_size,
                     const std::string& path) {
  std::sort(infos.begin(), infos.end(), [](const TensorInfo& a, const TensorInfo& b) {
    return std::tie(a.begin, a.end, a.name) < std::tie(b.begin, b.end, b.name);
  });
  uint64_t covered = 0;
  const TensorInfo* prev = nullptr;
  for (TensorInfo& t : infos) {
    const std::string name = printable(t.name);
    if (t.end < t.begin) {
      fail_layout(
          path, fmt::format("tensor {}: data_offsets [{}, {}] end before they begin", name, t.begin, t.end));
    }
    if (t.end > data_size) {
      fail_layout(
          path, fmt::format("tensor {}: data_offsets [{}, {}] run past the data section, which has {} bytes "
                            "(file bytes [{}, {})); the file is truncated or the offsets are wrong",
                            name, t.begin, t.end, data_size, data_start, data_start + data_size));
    }
    if (t.begin < covered) {
      fail_layout(path,
                  fmt::format("tensor {} (data_offsets [{}, {}]) overlaps tensor {} (data_offsets [{}, {}]); "
                              "expected each byte to belong to one tensor",
                              name, t.begin, t.end, printable(prev->name), prev->begin, prev->end));
    }
    if (t.begin > covered) {
      fail_layout(
          path, fmt::format("data bytes [{}, {}) (file bytes [{}, {})) before tensor {} belong to no tensor; "
                            "expected the tensors to cover the data section without holes",
                            covered, t.begin, data_start + covered, data_start + t.begin, name));
    }
    if (const uint64_t n = expected_nbytes(t, path); n != t.nbytes()) {
      fail_layout(
          path,
          fmt::format("tensor {}: shape {} of {} needs {} bytes but data_offsets [{}, {}] hold {}", name,
                      shape_str(t.shape), file_dtype_name(t.dtype), n, t.begin, t.end, t.nbytes()));
    }
    t.file_offset = data_start + t.begin;
    covered = t.end;
    prev = &t;
  }
  if (covered != data_size) {
    fail_layout(
        path,
        fmt::format("the data section has {} bytes but the tensors end at {}: file bytes [{}, {}) belong "
                    "to no tensor; expected the tensors to cover the data section exactly",
                    data_size, covered, data_start + covered, data_start + data_size));
  }
}

}  // namespace

void SafetensorsFile::parse() {
  if (size_ < 8) {
    throw_error(ErrorKind::Format,
                "safetensors: {}: the file is {} bytes; expected at least 8 (the header length)", path_,
                size_);
  }
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | std::to_integer<uint64_t>(base_[i]);  // little-endian u64
  if (n > kMaxHeaderSize) {
    throw_error(ErrorKind::Format,
                "safetensors: {}: header length {} (bytes [0, 8)) exceeds the limit of {} bytes; "
                "is this a safetensors file?",
                path_, n, kMaxHeaderSize);
  }
  if (n > size_ - 8) {
    throw_error(
        ErrorKind::Format,
        "safetensors: {}: header length {} (bytes [0, 8)) runs past the end of the file: the header would "
        "end at byte {} but the file has {} bytes (truncated?)",
        path_, n, 8 + n, size_);
  }
  header_size_ = n;
  const std::string_view header(reinterpret_cast<const char*>(base_) + 8, n);
  if (const size_t bad = detail::invalid_utf8_at(header); bad != std::string_view::npos) {
    throw_error(ErrorKind::Format,
                "safetensors: {}: the header is not valid UTF-8: byte 0x{:02x} at byte {} of the file", path_,
                static_cast<unsigned char>(header[bad]), 8 + bad);
  }
  // nlohmann's lexer takes a NUL byte for the end of input and would ignore what follows; JSON allows none
  // (serde_json, Python's parser, rejects it too).
  if (const size_t nul = header.find('\0'); nul != std::string_view::npos) {
    throw_error(
        ErrorKind::Format,
        "safetensors: {}: the header is not valid JSON at byte {} of the file: a NUL byte; expected JSON "
        "text padded with spaces",
        path_, 8 + nul);
  }
  HeaderHandler handler(path_);
  nlohmann::json::sax_parse(header.begin(), header.end(), &handler);
  infos_ = std::move(handler.tensors);
  metadata_ = std::move(handler.metadata);
  validate_layout(infos_, 8 + n, size_ - 8 - n, path_);
  for (size_t i = 0; i < infos_.size(); ++i) index_.emplace(infos_[i].name, i);
}

}  // namespace attn::io
