// attn/embed/formats.h — word2vec's file formats, read and written byte-compatibly with word2vec.c, gensim
// (KeyedVectors.save_word2vec_format / load_word2vec_format) and fastText's .vec.
//
// Text (.vec, .txt):   "V D\n" then V lines "word x1 x2 … xD\n" (decimal floats separated by spaces;
//                      fastText adds a trailing space, which the reader accepts).
// Binary (.bin):       "V D\n" then V records "word " + D little-endian float32 (4·D bytes). word2vec.c ends
//                      each record with '\n', gensim does not; the reader skips newlines before a word and
//                      the writer follows gensim, so our .bin is byte-identical to gensim's for the same
//                      vectors.
// Writers are atomic: they write PATH.tmp and rename it over PATH, so a failure leaves nothing half-written.
#pragma once

#include <string>

#include "attn/embed/keyed_vectors.h"

namespace attn::embed {

enum class VectorFormat { Auto, Text, Binary };

// Auto: ".bin" → Binary, ".vec"/".txt" → Text, otherwise the bytes after the header decide. Throws
// attn::Error (Io for a missing file, Format for a bad header, a wrong value count on a line, or a truncated
// binary file), naming the file and the line or byte offset.
KeyedVectors load_word2vec_format(const std::string& path, VectorFormat format = VectorFormat::Auto);
void save_word2vec_format(const KeyedVectors& kv, const std::string& path, VectorFormat format);

// Writes `contents` to path atomically (PATH.tmp + rename). Throws attn::Error (Io).
void write_file_atomic(const std::string& path, const std::string& contents);

}  // namespace attn::embed
