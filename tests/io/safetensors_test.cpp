// Tests of the safetensors reader and writer against files written by Python's safetensors 0.4.5
// (tools/fixtures/io.py → tests/data/io/). Expected values always come from reference.json, which Python
// wrote; hostile inputs are in safetensors_hostile_test.cpp.
#include "attn/io/safetensors.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "attn/tensor/creation.h"
#include "attn/tensor/view.h"

namespace attn::io {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kDir = std::string(ATTN_TEST_DATA) + "/io/";

std::vector<std::byte> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path << " — rerun .venv/bin/python tools/fixtures/io.py";
  std::vector<char> chars((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::byte> out(chars.size());
  std::memcpy(out.data(), chars.data(), chars.size());
  return out;
}

const json& reference() {
  static const json j = [] {
    std::ifstream in(kDir + "reference.json");
    if (!in) throw std::runtime_error("tests/data/io/reference.json missing — run tools/fixtures/io.py");
    return json::parse(in);
  }();
  return j;
}

uint64_t as_u64(const json& v) {
  return v.is_number_unsigned() ? v.get<uint64_t>() : static_cast<uint64_t>(v.get<int64_t>());
}

DType attn_dtype_of(FileDType d) {
  switch (d) {
    case FileDType::F32:
      return DType::F32;
    case FileDType::F64:
      return DType::F64;
    case FileDType::I64:
      return DType::I64;
    case FileDType::I32:
      return DType::I32;
    case FileDType::BOOL:
      return DType::Bool;
    case FileDType::F16:
      return DType::F16;
    case FileDType::BF16:
      return DType::BF16;
    default:
      throw std::runtime_error("no attn dtype for this file dtype");
  }
}

// A tensor of the file's own dtype from Python's raw element bit patterns.
Tensor from_raw(const json& e) {
  const FileDType fd = *file_dtype_from_name(e["dtype"].get<std::string>());
  const size_t es = file_dtype_size(fd);
  const Shape shape = e["shape"].get<Shape>();
  std::vector<std::byte> bytes(static_cast<size_t>(numel(shape)) * es);
  for (size_t i = 0; i < e["raw"].size(); ++i) {
    const uint64_t v = as_u64(e["raw"][i]);
    std::memcpy(bytes.data() + i * es, &v, es);  // little-endian host: the low `es` bytes
  }
  return from_blob(bytes.data(), shape, attn_dtype_of(fd));
}

// The tensors of layout.safetensors (everything attn can write), rebuilt from Python's bit patterns.
std::map<std::string, Tensor> reference_tensors() {
  std::map<std::string, Tensor> out;
  for (const auto& [name, e] : reference()["tensors"].items()) {
    if (e["dtype"] != "U8") out.emplace(name, from_raw(e));
  }
  return out;
}

// Element i of t as the bit pattern (floats) or value (integers, bools) reference.json's "loaded" holds.
uint64_t loaded_bits(const Tensor& t, int64_t i) {
  uint64_t v = 0;
  const auto* p =
      static_cast<const std::byte*>(t.data_ptr()) + i * static_cast<int64_t>(dtype_size(t.dtype()));
  if (t.dtype() == DType::I64) {
    int64_t x;
    std::memcpy(&x, p, 8);
    return static_cast<uint64_t>(x);
  }
  std::memcpy(&v, p, dtype_size(t.dtype()));
  return v;
}

TEST(SafetensorsRead, HeaderMatchesPython) {
  const json& ref = reference();
  const SafetensorsFile f = SafetensorsFile::open(kDir + "reference.safetensors");
  EXPECT_EQ(f.header_size(), ref["header_size"].get<uint64_t>());
  EXPECT_EQ(f.metadata(), (ref["metadata"].get<std::map<std::string, std::string>>()));
  std::vector<std::string> expected_names;
  for (const auto& [name, e] : ref["tensors"].items()) expected_names.push_back(name);
  std::sort(expected_names.begin(), expected_names.end());
  EXPECT_EQ(f.names(), expected_names);
  for (const auto& [name, e] : ref["tensors"].items()) {
    SCOPED_TRACE(name);
    const TensorInfo& info = f.info(name);
    EXPECT_EQ(file_dtype_name(info.dtype), e["dtype"].get<std::string>());
    EXPECT_EQ(info.shape, e["shape"].get<Shape>());
    EXPECT_EQ(info.begin, e["data_offsets"][0].get<uint64_t>());
    EXPECT_EQ(info.end, e["data_offsets"][1].get<uint64_t>());
    EXPECT_EQ(info.file_offset, 8 + f.header_size() + info.begin);
  }
  // infos() is in file order.
  for (size_t i = 1; i < f.infos().size(); ++i) EXPECT_LE(f.infos()[i - 1].end, f.infos()[i].begin);
}

TEST(SafetensorsRead, ValuesMatchPythonBitForBit) {
  const SafetensorsFile f = SafetensorsFile::open(kDir + "reference.safetensors");
  const std::map<std::string, DType> loaded_dtype = {
      {"F32", DType::F32}, {"F64", DType::F64}, {"F16", DType::F32},  {"BF16", DType::F32},
      {"I64", DType::I64}, {"I32", DType::I64}, {"BOOL", DType::Bool}};
  int checked = 0;
  for (const auto& [name, e] : reference()["tensors"].items()) {
    if (e["dtype"] == "U8") continue;
    SCOPED_TRACE(name);
    const Tensor t = f.tensor(name);
    EXPECT_EQ(t.dtype(), loaded_dtype.at(e["dtype"].get<std::string>()));
    EXPECT_EQ(t.shape(), e["shape"].get<Shape>());
    EXPECT_TRUE(t.is_contiguous());
    ASSERT_EQ(static_cast<size_t>(t.numel()), e["loaded"].size());
    for (int64_t i = 0; i < t.numel(); ++i) {
      ASSERT_EQ(loaded_bits(t, i), as_u64(e["loaded"][i])) << "element " << i;
    }
    ++checked;
  }
  EXPECT_EQ(checked, 11);
}

TEST(SafetensorsRead, UnsupportedDTypeIsRefusedByNameButBytesAreReadable) {
  const SafetensorsFile f = SafetensorsFile::open(kDir + "reference.safetensors");
  try {
    f.tensor("u8");
    FAIL() << "expected attn::Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Unsupported);
    EXPECT_NE(std::string(e.what()).find("tensor \"u8\" has dtype U8"), std::string::npos) << e.what();
  }
  const auto raw = f.bytes("u8");
  ASSERT_EQ(raw.size(), 3u);
  for (size_t i = 0; i < 3; ++i)
    EXPECT_EQ(std::to_integer<uint64_t>(raw[i]), as_u64(reference()["tensors"]["u8"]["raw"][i]));
  // load_safetensors loads everything, so it refuses this file, naming the tensor.
  EXPECT_THROW(load_safetensors(kDir + "reference.safetensors"), Error);
}

TEST(SafetensorsRead, AlignedTensorsAreZeroCopyAndOutliveTheFileObject) {
  Tensor f32, bf16;
  const void* mapped = nullptr;
  {
    const SafetensorsFile f = SafetensorsFile::open(kDir + "reference.safetensors");
    f32 = f.tensor("f32");
    bf16 = f.tensor("bf16");
    mapped = f.bytes("f32").data();
    EXPECT_NE(bf16.data_ptr(), static_cast<const void*>(f.bytes("bf16").data()));  // converted: new memory
  }
  EXPECT_EQ(f32.data_ptr(), mapped);  // a view of the mapping, still alive through the storage's owner
  const json& e = reference()["tensors"]["f32"];
  for (int64_t i = 0; i < f32.numel(); ++i) EXPECT_EQ(loaded_bits(f32, i), as_u64(e["loaded"][i]));
}

TEST(SafetensorsRead, ZeroCopyTensorsAreWritableCopyOnWrite) {
  const std::string path = kDir + "reference.safetensors";
  const auto before = read_bytes(path);
  {
    const Tensor t = SafetensorsFile::open(path).tensor("f32");
    t.data<float>()[0] = 42.0f;  // must not fault, and must stay private to this process
    EXPECT_EQ(t.data<float>()[0], 42.0f);
  }
  EXPECT_EQ(read_bytes(path), before);
}

TEST(SafetensorsRead, LoadSafetensorsReturnsEveryTensor) {
  const auto tensors = load_safetensors(kDir + "layout.safetensors");
  EXPECT_EQ(tensors.size(), 11u);
  EXPECT_EQ(tensors.at("f16").dtype(), DType::F32);
  EXPECT_EQ(tensors.at("i32").dtype(), DType::I64);
  EXPECT_EQ(tensors.at("f32_scalar").shape(), Shape{});
  EXPECT_EQ(tensors.at("f32_empty").shape(), (Shape{0, 3}));
  const json& e = reference()["tensors"]["i32"];
  for (int64_t i = 0; i < 6; ++i) EXPECT_EQ(loaded_bits(tensors.at("i32"), i), as_u64(e["loaded"][i]));
}

// A header whose length is not a multiple of 8 puts F32 data at an odd address: the reader copies.
TEST(SafetensorsRead, MisalignedDataIsCopiedNotAliased) {
  const json& e = reference()["tensors"]["f32"];
  const std::string header = R"({"x":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}})";  // 57 bytes
  ASSERT_NE(header.size() % 4, 0u);
  std::vector<std::byte> file(8 + header.size() + 24);
  const uint64_t n = header.size();
  std::memcpy(file.data(), &n, 8);
  std::memcpy(file.data() + 8, header.data(), header.size());
  for (size_t i = 0; i < 6; ++i) {
    const auto bits = static_cast<uint32_t>(as_u64(e["raw"][i]));
    std::memcpy(file.data() + 8 + header.size() + 4 * i, &bits, 4);
  }
  const SafetensorsFile f = SafetensorsFile::from_buffer(file, nullptr, "misaligned");
  const Tensor t = f.tensor("x");
  EXPECT_NE(t.data_ptr(), static_cast<const void*>(f.bytes("x").data()));
  EXPECT_EQ(reinterpret_cast<uintptr_t>(t.data_ptr()) % alignof(float), 0u);
  for (int64_t i = 0; i < 6; ++i) EXPECT_EQ(loaded_bits(t, i), as_u64(e["loaded"][i]));
}

// A real Hugging Face checkpoint (fetched by scripts/setup, git-ignored): every tensor loads, and writing
// them back with the file's metadata reproduces the file Python wrote, byte for byte (90 MB, 104 tensors).
TEST(SafetensorsRead, RealCheckpointRewritesByteForByte) {
  const std::string path = std::string(ATTN_TEST_DATA) + "/../../models/all-MiniLM-L6-v2/model.safetensors";
  ASSERT_TRUE(fs::exists(path)) << path
                                << " is missing — run scripts/setup (scripts/fetch-models) to fetch it";
  const SafetensorsFile f = SafetensorsFile::open(path);
  std::map<std::string, Tensor> tensors;
  for (const auto& name : f.names()) tensors.emplace(name, f.tensor(name));
  // Python: len(safe_open(path, "pt").keys()) == 104;
  // .get_slice("embeddings.word_embeddings.weight").get_shape()
  EXPECT_EQ(tensors.size(), 104u);
  EXPECT_EQ(tensors.at("embeddings.word_embeddings.weight").shape(), (Shape{30522, 384}));
  EXPECT_TRUE(serialize_safetensors(tensors, f.metadata()) == read_bytes(path));
}

// ---- writer ----

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() / ("attn_io_test_" + std::to_string(::getpid()) + "_" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  std::vector<std::string> entries() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(path_)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  fs::path path_;
};

TEST(SafetensorsWrite, BytesEqualPythonsSaveFile) {
  // layout.safetensors = safetensors.torch.save_file(tensors, path, metadata={"format": "pt"})
  const auto expected = read_bytes(kDir + "layout.safetensors");
  const auto tensors = reference_tensors();
  EXPECT_EQ(serialize_safetensors(tensors, {{"format", "pt"}}), expected);
  TempDir dir;
  save_safetensors(dir.file("out.safetensors"), tensors, {{"format", "pt"}});
  EXPECT_EQ(read_bytes(dir.file("out.safetensors")), expected);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"out.safetensors"});  // no temporary file left
}

TEST(SafetensorsWrite, EmptyFileEqualsPythons) {
  // safetensors.torch.save({}) == b'\x08\x00\x00\x00\x00\x00\x00\x00{}      '
  const std::string expected("\x08\0\0\0\0\0\0\0{}      ", 16);
  const auto got = serialize_safetensors({});
  ASSERT_EQ(got.size(), expected.size());
  EXPECT_EQ(std::memcmp(got.data(), expected.data(), expected.size()), 0);
  // safetensors.torch.save({}, metadata={"a": "b"}) == b' \x00…\x00{"__metadata__":{"a":"b"}}      '
  const std::string with_meta = std::string("\x20\0\0\0\0\0\0\0", 8) + R"({"__metadata__":{"a":"b"}}      )";
  const auto got_meta = serialize_safetensors({}, {{"a", "b"}});
  ASSERT_EQ(got_meta.size(), with_meta.size());
  EXPECT_EQ(std::memcmp(got_meta.data(), with_meta.data(), with_meta.size()), 0);
}

// tests/data/io/attn_written.safetensors is attn's output, committed so that tools/check_io_roundtrip.py can
// check with Python that it loads with the reference values (ctest io_python_reads_attn_file). This test
// keeps the committed file identical to what the writer produces now; ATTN_REGENERATE_FIXTURES=1 rewrites it.
TEST(SafetensorsWrite, WriterOutputMatchesCommittedAttnFile) {
  auto tensors = reference_tensors();
  const Tensor f32 = tensors.at("f32");                                           // (2, 3)
  tensors["f32_t"] = make_view(f32, transpose_layout(f32.layout(), 0, 1));        // (3, 2), non-contiguous
  const Tensor i64 = tensors.at("i64");                                           // (6)
  tensors["i64_step2"] = make_view(i64, slice_layout(i64.layout(), 0, 0, 6, 2));  // (3), stride 2
  ASSERT_FALSE(tensors["f32_t"].is_contiguous());
  ASSERT_FALSE(tensors["i64_step2"].is_contiguous());
  const std::map<std::string, std::string> metadata = {
      {"format", "pt"}, {"writer", "attn"}, {"note", reference()["metadata"]["note"].get<std::string>()}};
  const std::string path = kDir + "attn_written.safetensors";
  if (std::getenv("ATTN_REGENERATE_FIXTURES") != nullptr) {
    save_safetensors(path, tensors, metadata);
    GTEST_SKIP() << "rewrote " << path << "; now run .venv/bin/python tools/check_io_roundtrip.py";
  }
  EXPECT_EQ(serialize_safetensors(tensors, metadata), read_bytes(path))
      << "the writer's output changed: rerun with ATTN_REGENERATE_FIXTURES=1, then "
         "tools/check_io_roundtrip.py";
}

TEST(SafetensorsWrite, OverwritesAnExistingFileAndReadsBack) {
  TempDir dir;
  const std::string path = dir.file("w.safetensors");
  save_safetensors(path, {{"old", zeros({100})}});
  const auto tensors = reference_tensors();
  save_safetensors(path, tensors, {{"format", "pt"}});
  EXPECT_EQ(read_bytes(path), read_bytes(kDir + "layout.safetensors"));
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"w.safetensors"});
}

void expect_write_error(const std::function<void()>& write, ErrorKind kind, const std::string& needle) {
  try {
    write();
    ADD_FAILURE() << "expected attn::Error containing: " << needle;
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << e.what();
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TEST(SafetensorsWrite, InvalidInputsFailBeforeTouchingTheFileSystem) {
  TempDir dir;
  const std::string path = dir.file("bad.safetensors");
  expect_write_error(
      [&] {
        save_safetensors(path, {{"__metadata__", zeros({1})}});
      },
      ErrorKind::Value, "\"__metadata__\" is reserved");
  expect_write_error(
      [&] {
        save_safetensors(path, {{"x", Tensor()}});
      },
      ErrorKind::Value, "tensor \"x\" is undefined");
  expect_write_error(
      [&] {
        save_safetensors(path, {{std::string("bad\xff", 4), zeros({1})}});
      },
      ErrorKind::Value, "tensor name \"bad\xff\" is not valid UTF-8 (byte 3)");
  expect_write_error(
      [&] {
        save_safetensors(path, {}, {{"k", std::string("\xc0\x80", 2)}});
      },
      ErrorKind::Value, "metadata value");
  EXPECT_TRUE(dir.entries().empty());
}

TEST(SafetensorsWrite, MissingDirectoryIsAnIoError) {
  TempDir dir;
  const std::string path = dir.file("no/such/dir/x.safetensors");
  expect_write_error(
      [&] {
        save_safetensors(path, {{"x", zeros({1})}});
      },
      ErrorKind::Io, "cannot write " + path + ": create of temporary file");
  EXPECT_TRUE(dir.entries().empty());
}

TEST(SafetensorsWrite, FailedRenameRemovesTheTemporaryFile) {
  TempDir dir;
  fs::create_directories(dir.file("target"));
  fs::create_directories(dir.file("target/occupied"));  // rename() cannot replace a non-empty directory
  expect_write_error(
      [&] {
        save_safetensors(dir.file("target"), {{"x", zeros({1})}});
      },
      ErrorKind::Io, "rename of temporary file");
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"target"});
}

// A write that fails half-way (here: the file size limit is hit, write() returns EFBIG) leaves the previous
// file intact and no temporary file behind.
TEST(SafetensorsWrite, FailureHalfWayLeavesThePreviousFileIntact) {
  TempDir dir;
  const std::string path = dir.file("model.safetensors");
  save_safetensors(path, reference_tensors(), {{"format", "pt"}});
  const auto before = read_bytes(path);

  struct rlimit old {};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old), 0);
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);  // else the kernel kills the process
  struct rlimit small = old;
  small.rlim_cur = 4096;
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  expect_write_error(
      [&] {
        save_safetensors(path, {{"big", zeros({10000})}});
      },
      ErrorKind::Io, "write of temporary file");
  setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, old_handler);

  EXPECT_EQ(read_bytes(path), before);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"model.safetensors"});
}

}  // namespace
}  // namespace attn::io
