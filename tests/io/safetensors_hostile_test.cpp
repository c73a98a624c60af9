// Broken and hostile safetensors files: each must give an attn::Error that names the file, the byte offset
// or tensor, and what was expected — never a crash or an out-of-bounds read (the ASan build checks the
// latter). Each file is built here, byte by byte. Where Python's safetensors 0.4.5 behaves differently
// (it accepts duplicates), the test says so.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>

#include "attn/io/safetensors.h"
#include "attn/tensor/creation.h"

namespace attn::io {
namespace {

// 8-byte little-endian length + header + data.
std::vector<std::byte> make_file(const std::string& header, size_t data_bytes = 0,
                                 uint64_t declared = UINT64_MAX) {
  const uint64_t n = declared == UINT64_MAX ? header.size() : declared;
  std::vector<std::byte> f(8 + header.size() + data_bytes);
  std::memcpy(f.data(), &n, 8);
  std::memcpy(f.data() + 8, header.data(), header.size());
  return f;
}

// A header with one F32 tensor "t" of `shape_json` at `offsets_json`.
std::string one(const std::string& shape_json, const std::string& offsets_json,
                const std::string& dtype = "\"F32\"") {
  return R"({"t":{"dtype":)" + dtype + R"(,"shape":)" + shape_json + R"(,"data_offsets":)" + offsets_json +
         "}}";
}

// Parses `bytes` as "hostile.safetensors" and expects an Error of `kind` whose message contains every needle.
void expect_error(const std::vector<std::byte>& bytes, ErrorKind kind,
                  std::initializer_list<std::string> needles) {
  try {
    SafetensorsFile::from_buffer(bytes, nullptr, "hostile.safetensors");
    ADD_FAILURE() << "expected attn::Error containing: " << *needles.begin();
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_EQ(e.kind(), kind) << msg;
    EXPECT_EQ(msg.rfind("safetensors: hostile.safetensors: ", 0), 0u) << msg;
    for (const auto& needle : needles)
      EXPECT_NE(msg.find(needle), std::string::npos) << "no '" << needle << "' in: " << msg;
  }
}
void expect_format_error(const std::string& header, size_t data_bytes,
                         std::initializer_list<std::string> needles) {
  expect_error(make_file(header, data_bytes), ErrorKind::Format, needles);
}

class TempFile {
 public:
  explicit TempFile(const std::vector<std::byte>& bytes)
      : path_((std::filesystem::temp_directory_path() / ("attn_hostile_" + std::to_string(::getpid())))
                  .string()) {
    std::ofstream(path_, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }
  ~TempFile() { std::filesystem::remove(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "<no error>";
}

// ---- the file itself ----

TEST(SafetensorsHostile, MissingFile) {
  try {
    SafetensorsFile::open("/nonexistent/model.safetensors");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Io);
    EXPECT_STREQ(e.what(),
                 "safetensors: cannot open /nonexistent/model.safetensors: No such file or directory");
  }
}

TEST(SafetensorsHostile, DirectoryIsNotAFile) {
  const std::string dir = std::filesystem::temp_directory_path().string();
  EXPECT_EQ(error_of([&] { SafetensorsFile::open(dir); }),
            "safetensors: cannot read " + dir + ": not a regular file");
}

TEST(SafetensorsHostile, ShorterThanTheLengthField) {
  for (size_t n : {0, 1, 7}) {
    TempFile f{std::vector<std::byte>(n)};
    EXPECT_EQ(error_of([&] { SafetensorsFile::open(f.path()); }),
              "safetensors: " + f.path() + ": the file is " + std::to_string(n) +
                  " bytes; expected at least 8 (the header length)");
  }
}

TEST(SafetensorsHostile, HeaderLengthPastEndOfFile) {
  expect_error(make_file("{}", 0, 100), ErrorKind::Format,
               {"header length 100 (bytes [0, 8)) runs past the end of the file", "end at byte 108",
                "the file has 10 bytes (truncated?)"});
  // Just one byte short.
  expect_error(make_file("{}      ", 0, 9), ErrorKind::Format, {"header length 9", "the file has 16 bytes"});
}

TEST(SafetensorsHostile, AbsurdHeaderLength) {
  expect_error(make_file("{}", 0, 100'000'001), ErrorKind::Format,
               {"header length 100000001", "exceeds the limit of 100000000 bytes"});
  expect_error(make_file("{}", 0, UINT64_MAX - 1), ErrorKind::Format, {"header length 18446744073709551614"});
}

TEST(SafetensorsHostile, HeaderIsNotUtf8) {
  expect_format_error("{\"a\xff\":{}}", 0, {"not valid UTF-8: byte 0xff at byte 11 of the file"});
  expect_format_error("{\"\xc0\x80\":1}", 0, {"not valid UTF-8: byte 0xc0 at byte 10"});      // overlong NUL
  expect_format_error("{\"\xed\xa0\x80\":1}", 0, {"not valid UTF-8: byte 0xed at byte 10"});  // surrogate
  expect_format_error("{\"\xf4\x90\x80\x80\":1}", 0, {"byte 0xf4"});                          // > U+10FFFF
  expect_format_error("{\"\xe6\x97\":1}", 0, {"byte 0xe6"});  // truncated sequence
}

TEST(SafetensorsHostile, HeaderIsNotJson) {
  expect_format_error("", 0, {"the header is not valid JSON at byte 8 of the file"});
  expect_format_error(R"({"t":{"dtype":"F32",)", 0,
                      {"the header is not valid JSON at byte", "unexpected end of input"});
  expect_format_error("{} x", 0, {"not valid JSON at byte 11 of the file", "expected end of input"});
  expect_format_error("{'a': 1}", 0, {"not valid JSON at byte 9 of the file"});
  expect_format_error(std::string("{}\0\0\0\0\0\0", 8), 0, {"not valid JSON at byte 10"});  // NUL padding
}

TEST(SafetensorsHostile, HeaderIsNotAnObject) {
  expect_format_error("[1, 2]", 0, {"the header is an array in JSON; expected an object"});
  expect_format_error("\"F32\"", 0, {"the header is a string in JSON; expected an object"});
  expect_format_error("null", 0, {"the header is null in JSON"});
  expect_format_error("12", 0, {"the header is a number in JSON"});
}

// ---- tensor entries ----

TEST(SafetensorsHostile, EntryIsNotAnObject) {
  expect_format_error(R"({"w":5})", 0,
                      {"entry \"w\" is a number; expected an object with dtype, shape and data_offsets"});
  expect_format_error(R"({"w":[1]})", 0, {"entry \"w\" is an array"});
}

TEST(SafetensorsHostile, MissingFields) {
  expect_format_error(R"({"t":{"shape":[1],"data_offsets":[0,4]}})", 4,
                      {"tensor \"t\" has no \"dtype\"; expected dtype, shape and data_offsets"});
  expect_format_error(R"({"t":{"dtype":"F32","data_offsets":[0,4]}})", 4, {"tensor \"t\" has no \"shape\""});
  expect_format_error(R"({"t":{"dtype":"F32","shape":[1]}})", 4, {"tensor \"t\" has no \"data_offsets\""});
}

TEST(SafetensorsHostile, IllTypedFields) {
  expect_format_error(one("[1]", "[0,4]", "5"), 4,
                      {"tensor \"t\": dtype is a number; expected a string such as \"F32\""});
  expect_format_error(one("{}", "[0,4]"), 4,
                      {"tensor \"t\": shape is an object; expected an array of non-negative integers"});
  expect_format_error(one("1", "[0,4]"), 4, {"tensor \"t\": shape is a number"});
  expect_format_error(one("[1]", "\"0-4\""), 4, {"tensor \"t\": data_offsets is a string"});
  expect_format_error(one("[\"1\"]", "[0,4]"), 4,
                      {"tensor \"t\": shape holds a string; expected non-negative integers"});
  expect_format_error(one("[[1]]", "[0,4]"), 4, {"tensor \"t\": shape holds an array"});
  expect_format_error(one("[1]", "[0,null]"), 4, {"tensor \"t\": data_offsets holds null"});
}

TEST(SafetensorsHostile, UnknownDTypeIsNamed) {
  expect_format_error(one("[1]", "[0,4]", "\"F33\""), 4,
                      {"tensor \"t\": unknown dtype \"F33\"; expected one of BOOL, U8, I8, F8_E5M2"});
  expect_format_error(one("[1]", "[0,4]", "\"f32\""), 4,
                      {"unknown dtype \"f32\""});  // case matters, as in Python
}

TEST(SafetensorsHostile, BadShapeNumbers) {
  expect_format_error(one("[2,-1]", "[0,4]"), 4,
                      {"tensor \"t\": shape[1] is -1; expected a non-negative integer"});
  expect_format_error(one("[1.5]", "[0,4]"), 4, {"shape[0] is 1.5; expected a non-negative integer"});
  expect_format_error(one("[1e3]", "[0,4]"), 4, {"shape[0] is 1e3"});
  expect_format_error(one("[18446744073709551616]", "[0,4]"), 4, {"shape[0] is 18446744073709551616"});
  expect_format_error(one("[9223372036854775808]", "[0,4]"), 4,
                      {"shape[0] is 9223372036854775808; expected at most 2^63-1"});
}

TEST(SafetensorsHostile, ShapeProductOverflows) {
  expect_format_error(
      one("[4294967296,4294967296,4]", "[0,4]"), 4,
      {"tensor \"t\": shape [4294967296, 4294967296, 4] of F32 has more bytes than fit in 64 bits"});
  // The element count fits but × 4 bytes does not.
  expect_format_error(one("[4611686018427387904]", "[0,4]"), 4, {"more bytes than fit in 64 bits"});
}

TEST(SafetensorsHostile, BadDataOffsets) {
  expect_format_error(one("[1]", "[0,4,8]"), 8,
                      {"tensor \"t\": data_offsets has 3 entries; expected 2 ([begin, end])"});
  expect_format_error(one("[1]", "[4]"), 4, {"data_offsets has 1 entries"});
  expect_format_error(one("[1]", "[-4,0]"), 4, {"data_offsets[0] is -4"});
  expect_format_error(one("[0]", "[8,4]"), 8, {"tensor \"t\": data_offsets [8, 4] end before they begin"});
}

TEST(SafetensorsHostile, OffsetsOutsideTheDataSection) {
  // Header "{...}" is 57 bytes, so the data section starts at file byte 65 and holds 4 bytes.
  const std::string h = one("[2]", "[0,8]");
  expect_format_error(
      h, 4,
      {"tensor \"t\": data_offsets [0, 8] run past the data section, which has 4 bytes",
       "(file bytes [" + std::to_string(8 + h.size()) + ", " + std::to_string(12 + h.size()) + "))",
       "truncated"});
  expect_format_error(one("[1]", "[18446744073709551612,18446744073709551615]"), 4,
                      {"run past the data section"});
}

TEST(SafetensorsHostile, OverlappingTensors) {
  const std::string h = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                        R"("b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})";
  expect_format_error(h, 8,
                      {"tensor \"b\" (data_offsets [4, 8]) overlaps tensor \"a\" (data_offsets [0, 8])"});
  const std::string same = R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                           R"("b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})";
  expect_format_error(same, 4, {"overlaps"});
}

TEST(SafetensorsHostile, HolesAndTrailingBytes) {
  const std::string hole = R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                           R"("b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})";
  expect_format_error(hole, 12,
                      {"data bytes [4, 8)", "before tensor \"b\" belong to no tensor",
                       "expected the tensors to cover the data section without holes"});
  expect_format_error(one("[1]", "[4,8]"), 8, {"data bytes [0, 4)", "before tensor \"t\""});
  expect_format_error(one("[1]", "[0,4]"), 8, {"the data section has 8 bytes but the tensors end at 4"});
  expect_format_error("{}", 3, {"the data section has 3 bytes but the tensors end at 0"});
}

TEST(SafetensorsHostile, ByteLengthDisagreesWithShape) {
  expect_format_error(one("[2]", "[0,4]"), 4,
                      {"tensor \"t\": shape [2] of F32 needs 8 bytes but data_offsets [0, 4] hold 4"});
  expect_format_error(one("[]", "[0,0]"), 0, {"shape [] of F32 needs 4 bytes"});  // a scalar has one element
  expect_format_error(one("[3]", "[0,4]", "\"BF16\""), 4, {"shape [3] of BF16 needs 6 bytes"});
}

// Python keeps the last of two equal names; attn refuses the ambiguity.
TEST(SafetensorsHostile, DuplicateKeys) {
  const std::string dup = R"({"t":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                          R"("t":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})";
  expect_format_error(dup, 4, {"tensor name \"t\" appears twice in the header; expected unique names"});
  expect_format_error(R"({"__metadata__":{},"__metadata__":{}})", 0, {"key \"__metadata__\" appears twice"});
  expect_format_error(R"({"__metadata__":{"k":"a","k":"b"}})", 0, {"metadata key \"k\" appears twice"});
  expect_format_error(R"({"t":{"dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]}})", 4,
                      {"tensor \"t\": key \"dtype\" appears twice"});
}

TEST(SafetensorsHostile, MetadataMustMapStringsToStrings) {
  expect_format_error(R"({"__metadata__":5})", 0,
                      {"\"__metadata__\" is a number; expected an object of strings"});
  expect_format_error(R"({"__metadata__":["a"]})", 0, {"\"__metadata__\" is an array"});
  expect_format_error(R"({"__metadata__":{"k":1}})", 0,
                      {"metadata value \"k\" is a number; expected a string"});
  expect_format_error(R"({"__metadata__":{"k":{"x":"y"}}})", 0, {"metadata value \"k\" is an object"});
  expect_format_error(R"({"__metadata__":{"k":null}})", 0, {"metadata value \"k\" is null"});
}

TEST(SafetensorsHostile, BoolBytesMustBeZeroOrOne) {
  auto bytes = make_file(one("[3]", "[0,3]", "\"BOOL\""), 3);
  const std::string h = one("[3]", "[0,3]", "\"BOOL\"");
  bytes[8 + h.size() + 2] = std::byte{2};
  const SafetensorsFile f = SafetensorsFile::from_buffer(bytes, nullptr, "hostile.safetensors");
  try {
    f.tensor("t");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Format);
    EXPECT_EQ(std::string(e.what()),
              "safetensors: hostile.safetensors: tensor \"t\": BOOL element 2 is 2 (file byte " +
                  std::to_string(8 + h.size() + 2) + "); expected 0 or 1");
  }
}

TEST(SafetensorsHostile, UnknownTensorName) {
  const auto bytes = make_file(one("[1]", "[0,4]"), 4);
  const SafetensorsFile f = SafetensorsFile::from_buffer(bytes, nullptr, "x.safetensors");
  try {
    f.tensor("w");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::IndexOutOfRange);
    EXPECT_STREQ(e.what(), "safetensors: x.safetensors: no tensor named \"w\" (the file has 1 tensors)");
  }
}

TEST(SafetensorsHostile, LongAndControlCharacterNamesAreQuotedAndCut) {
  expect_format_error("{\"" + std::string("a\\nb") + std::string(300, 'x') + "\":5}", 0,
                      {"entry \"a\\x0ab" + std::string(117, 'x') + "…\" is a number"});
}

// What Python 0.4.5 accepts, attn accepts too.
TEST(SafetensorsHostile, AcceptsWhatPythonAccepts) {
  // Leading whitespace, "__metadata__": null, unknown fields (even nested), and empty tensors that share an
  // offset with the next tensor.
  const std::string h =
      R"(  {"__metadata__":null,"e":{"dtype":"F32","shape":[0,5],"data_offsets":[0,0]},)"
      R"("t":{"dtype":"I64","shape":[1],"data_offsets":[0,8],"extra":[{"deep":[[1]]}],"x":1}})";
  const auto bytes = make_file(h, 8);
  const SafetensorsFile f = SafetensorsFile::from_buffer(bytes, nullptr);
  EXPECT_TRUE(f.metadata().empty());
  EXPECT_EQ(f.names(), (std::vector<std::string>{"e", "t"}));
  EXPECT_EQ(f.tensor("e").shape(), (Shape{0, 5}));
  EXPECT_EQ(f.tensor("t").shape(), (Shape{1}));
  // An empty header object is a valid file with no tensors.
  EXPECT_TRUE(SafetensorsFile::from_buffer(make_file("{}"), nullptr).names().empty());
  // "-0" is zero.
  EXPECT_EQ(SafetensorsFile::from_buffer(make_file(one("[-0]", "[0,0]")), nullptr).info("t").shape, Shape{0});
}

// A regular file on disk truncated after its header: the error names the tensor that runs past the end.
TEST(SafetensorsHostile, TruncatedFileOnDisk) {
  const auto full = serialize_safetensors({{"w", zeros({4, 4})}});
  const std::vector<std::byte> cut(full.begin(), full.end() - 10);
  TempFile f(cut);
  const std::string msg = error_of([&] { SafetensorsFile::open(f.path()); });
  EXPECT_NE(msg.find("safetensors: " + f.path() +
                     ": tensor \"w\": data_offsets [0, 64] run past the data section, "
                     "which has 54 bytes"),
            std::string::npos)
      << msg;
}

}  // namespace
}  // namespace attn::io
