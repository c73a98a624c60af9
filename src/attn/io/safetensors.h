// attn/io/safetensors.h — read (mmap, zero-copy where possible) and write (atomic) safetensors files.
//
// safetensors is the weight format of Hugging Face and of attn (https://github.com/huggingface/safetensors,
// behaviour matched against the Python package 0.4.5). A file is three parts:
//
//   bytes [0, 8)       N: the header length, an unsigned 64-bit little-endian integer (at most 100 MB here,
//                      as in the Rust crate)
//   bytes [8, 8+N)     the header: one UTF-8 JSON object, padded at the end with spaces (writers pad N to a
//                      multiple of 8 so the data section starts 8-byte aligned)
//                        { "__metadata__": {"format": "pt", ...},        optional; string → string
//                          "<tensor name>": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]},
//                          ... }
//   bytes [8+N, EOF)   the data section. Tensor t's elements are at [8+N+begin, 8+N+end), row-major,
//                      little-endian; end - begin = product(shape) × size(dtype) (an empty shape [] is a
//                      scalar, a 0 in the shape an empty tensor). Sorted by (begin, end), the tensors cover
//                      the data section exactly: no holes, no overlaps, nothing after the last one.
//
// dtypes: BOOL U8 I8 F8_E5M2 F8_E4M3 I16 U16 F16 BF16 I32 U32 F32 F64 I64 U64. attn reads F32, F64, I64 and
// BOOL as they are, converts F16/BF16 to F32 and I32 to I64 (attn's compute and id types, core/dtype.h),
// and refuses the others in tensor() (their headers still parse). It writes F32 F64 I64 I32 BOOL F16 BF16.
//
// Reading validates everything above and throws attn::Error (kind Io or Format; Unsupported for a dtype
// attn cannot load) naming the file, the byte offset or tensor, and what was expected; no input makes it
// read outside the file. Differences from Python's reader, both stricter: a name or key repeated in the
// header is an error (Python keeps the last one), and so is a BOOL byte other than 0 or 1.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "attn/tensor/tensor.h"

namespace attn::io {

// Every element type of the format, in the Rust crate's declaration order; the writer lays tensors out by
// descending FileDType (then by name), as the crate does, so data_offsets stay aligned.
enum class FileDType : uint8_t {
  BOOL,
  U8,
  I8,
  F8_E5M2,
  F8_E4M3,
  I16,
  U16,
  F16,
  BF16,
  I32,
  U32,
  F32,
  F64,
  I64,
  U64
};

size_t file_dtype_size(FileDType d);
std::string_view file_dtype_name(FileDType d);  // "F32", "BF16", … as in the header
std::optional<FileDType> file_dtype_from_name(std::string_view name);

// One tensor entry of the header.
struct TensorInfo {
  std::string name;
  FileDType dtype = FileDType::F32;
  Shape shape;
  uint64_t begin = 0, end = 0;  // data_offsets, relative to the start of the data section
  uint64_t file_offset = 0;     // absolute position of the first byte in the file: 8 + N + begin
  uint64_t nbytes() const { return end - begin; }
};

// An opened, validated safetensors file. Tensors it returns keep the mapping alive, so the file object
// may be dropped while they are in use.
//
//   auto f = attn::io::SafetensorsFile::open("model.safetensors");
//   for (const auto& name : f.names()) std::cout << name << " " << shape_str(f.info(name).shape) << "\n";
//   attn::Tensor w = f.tensor("encoder.layer.0.attention.self.query.weight");  // (768, 768) float32
class SafetensorsFile {
 public:
  // Maps the file read-only on disk with MAP_PRIVATE and PROT_READ|PROT_WRITE: zero-copy tensors may be
  // modified in place (copy-on-write pages, private to this process); the file itself never changes.
  // As with every mmap reader (Python's included), truncating the file while it is mapped is undefined.
  static SafetensorsFile open(const std::string& path);
  // Parses `bytes` in memory (fuzzing, network buffers). `owner` keeps them alive for as long as returned
  // tensors live (may be null if the caller outlives them); zero-copy tensors alias the buffer, so they
  // must not be written into if the buffer is read-only. `name` is used in error messages.
  static SafetensorsFile from_buffer(std::span<const std::byte> bytes, std::shared_ptr<void> owner,
                                     std::string name = "<buffer>");

  const std::string& path() const { return path_; }
  uint64_t header_size() const { return header_size_; }      // N
  uint64_t data_offset() const { return 8 + header_size_; }  // where the data section starts
  // Tensor names in alphabetical (byte) order, as Python's safe_open(...).keys().
  std::vector<std::string> names() const;
  // All entries in file order (by data offset).
  const std::vector<TensorInfo>& infos() const { return infos_; }
  bool contains(const std::string& name) const { return index_.count(name) != 0; }
  // Throws attn::Error(IndexOutOfRange) naming the file and the missing tensor.
  const TensorInfo& info(const std::string& name) const;
  // The "__metadata__" map (empty if the file has none).
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  // The raw little-endian bytes of a tensor, any dtype.
  std::span<const std::byte> bytes(const std::string& name) const;

  // The tensor as attn holds it, contiguous:
  //   F32, F64, I64, BOOL  zero-copy views of the mapping when the data is aligned for the element type
  //                        (always, for files written by attn or Python); otherwise a copy
  //   F16, BF16 → F32      converted (exact) into new memory
  //   I32 → I64            converted into new memory
  //   other dtypes         attn::Error(Unsupported) naming the tensor and dtype
  // BOOL bytes other than 0 and 1 are a Format error (they would be invalid C++ bools).
  Tensor tensor(const std::string& name) const;

 private:
  SafetensorsFile() = default;
  void parse();

  std::string path_;
  std::shared_ptr<void> owner_;  // keeps [base_, base_ + size_) alive: the mapping, or the caller's buffer
  const std::byte* base_ = nullptr;
  uint64_t size_ = 0;
  uint64_t header_size_ = 0;
  std::vector<TensorInfo> infos_;
  std::map<std::string, size_t> index_;  // name → position in infos_
  std::map<std::string, std::string> metadata_;
};

// Every tensor of the file, converted as SafetensorsFile::tensor does.
std::map<std::string, Tensor> load_safetensors(const std::string& path);

// Writes `tensors` (any attn dtype; non-contiguous views are written row-major) and `metadata` as a
// safetensors file that is byte-for-byte what Python's safetensors.torch.save_file writes for the same
// tensors, with two exceptions: "__metadata__" is left out when `metadata` is empty (Python writes {} when
// given an empty dict), and its keys are in alphabetical order (Python's follow a Rust HashMap's order).
// Layout: tensors sorted by descending FileDType (I64, F64, F32, I32, BF16, F16, BOOL), then by name;
// header JSON compact, padded with spaces to a multiple of 8.
//
// Atomic: the bytes go to "<path>.tmp.<pid>.<k>" in the same directory, which is fsynced and renamed over
// `path`; on any error the temporary file is removed, `path` is left as it was, and attn::Error(Io) names
// the file and the system error. Names and metadata must be valid UTF-8; "__metadata__" is not a name.
void save_safetensors(const std::string& path, const std::map<std::string, Tensor>& tensors,
                      const std::map<std::string, std::string>& metadata = {});

// The same bytes as save_safetensors, in memory.
std::vector<std::byte> serialize_safetensors(const std::map<std::string, Tensor>& tensors,
                                             const std::map<std::string, std::string>& metadata = {});

}  // namespace attn::io
