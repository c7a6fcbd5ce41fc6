// -z: the lines inside compressed files, checked against each format's own tool piped into
// wc -l (zcat, zstd -dc, xzcat, bzcat, lz4cat), and the errors of bad compressed data.

#include "support/compressors.hpp"
#include "support/process.hpp"
#include "support/sanitizers.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

namespace {

using namespace linecount::testing;

struct format_tools {
  std::string name;        // as linecount names it
  std::string compress;    // a shell command: standard input to standard output
  std::string decompress;  // likewise, the reference
  std::string extension;
  std::vector<std::string> env = {};  // for linecount
  std::string label = name;           // the test's
};

const std::vector<format_tools>& all_formats() {
  static const std::vector<format_tools> formats{
      {"gzip", "gzip -6 -c", "zcat", ".gz"},  // through ISA-L, and through zlib:
      {"gzip", "gzip -6 -c", "zcat", ".gz", {"LINECOUNT_ISAL=off"}, "gzip_zlib"},
      {"zstd", "zstd -q -3 -c", "zstd -q -dc", ".zst"},
      {"xz", "xz -c", "xzcat", ".xz"},
      {"bzip2", "bzip2 -c", "bzcat", ".bz2"},
      {"lz4", "lz4 -q -c", "lz4cat", ".lz4"},
  };
  return formats;
}

// Runs `script` in the shell; fails the test if it fails.
std::string shell(const std::string& script) {
  const outcome result = run_shell(script);
  EXPECT_EQ(result.exit_code, 0) << script << "\n" << result.err;
  return result.out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// A log written the way logs are: many small appends.
std::string write_log(const temp_dir& dir, const std::string& name, std::size_t lines) {
  const std::string path = (dir.path() / name).string();
  std::ofstream out(path, std::ios::binary);
  for (std::size_t i = 0; i < lines; ++i) {
    out << "2026-12-02T16:" << i % 60 << " host app[" << i << "]: request " << i * 7919 % 100'003
        << " served\n";
    out.flush();
  }
  return path;
}

class Decompress : public ::testing::TestWithParam<format_tools> {
 protected:
  // `source` compressed with the format's tool into `name`.
  std::string compressed(const std::string& source, const std::string& name) {
    const std::string path = (dir_.path() / name).string();
    shell(GetParam().compress + " < '" + source + "' > '" + path + "'");
    return path;
  }
  // What the format's own tool and wc -l say.
  std::string reference_count(const std::string& path) {
    std::string out = shell(GetParam().decompress + " < '" + path + "' | wc -l");
    while (!out.empty() && (out.back() == '\n' || out.front() == ' ')) {
      if (out.back() == '\n') out.pop_back();
      else out.erase(0, 1);
    }
    return out;
  }

  // An invocation of linecount with `args`, in the format's environment.
  static invocation call(std::vector<std::string> args) {
    invocation what;
    what.args = std::move(args);
    what.env = GetParam().env;
    return what;
  }

  temp_dir dir_;
};

TEST_P(Decompress, CountsAsTheFormatsOwnToolAndWc) {
  const std::string log = write_log(dir_, "app.log", 30'000);
  const std::string empty = dir_.write("empty", "");
  const std::string single = compressed(log, "single" + GetParam().extension);
  const std::string none = compressed(empty, "empty" + GetParam().extension);
  const std::string no_extension = compressed(log, "rotated-log");
  const std::string twice = (dir_.path() / ("twice" + GetParam().extension)).string();
  shell("cat '" + single + "' '" + none + "' '" + single + "' > '" + twice + "'");

  EXPECT_EQ(reference_count(single), "30000");  // the reference itself is right
  EXPECT_EQ(reference_count(twice), "60000");
  const outcome result = run(call({"-z", "-k", single, none, no_extension, twice}));
  EXPECT_EQ(result.out, reference_count(single) + " " + single + "\n" + reference_count(none) +
                            " " + none + "\n" + reference_count(no_extension) + " " +
                            no_extension + "\n" + reference_count(twice) + " " + twice +
                            "\n120000 total\n");
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(result.exit_code, 0);
}

TEST_P(Decompress, StandardInputRedirectedAndPiped) {
  const std::string log = write_log(dir_, "app.log", 10'000);
  const std::string file = compressed(log, "log" + GetParam().extension);
  invocation redirected;
  redirected.args = {"-z"};
  redirected.stdin_path = file;
  redirected.env = GetParam().env;
  EXPECT_EQ(run(redirected).out, reference_count(file) + "\n");
  invocation piped;
  piped.args = {"-z", "-"};
  piped.stdin_data = read_file(file);
  piped.env = GetParam().env;
  EXPECT_EQ(run(piped).out, "10000 -\n");
}

TEST_P(Decompress, StandardInputWrittenInPiecesLosesNothing) {
  // linecount fills standard input's first chunk before it looks at the magic number, so
  // the pieces meet there, however they arrive; none of their bytes may be lost.
  const std::string log = write_log(dir_, "app.log", 5'000);
  const std::string data = read_file(compressed(log, "log" + GetParam().extension));
  session counting(call({"-z"}));
  counting.write_stdin(data.substr(0, 2));
  counting.write_stdin(data.substr(2));
  counting.close_stdin();
  const outcome result = counting.finish();
  EXPECT_EQ(result.out, "5000\n");
  EXPECT_EQ(result.exit_code, 0);
}

TEST_P(Decompress, ACutStreamIsAnErrorAndTheOthersCountOn) {
  const std::string log = write_log(dir_, "app.log", 20'000);
  const std::string whole = compressed(log, "whole" + GetParam().extension);
  const std::string data = read_file(whole);
  const std::string cut = dir_.write("cut" + GetParam().extension, data.substr(0, data.size() / 2));
  const outcome result = run(call({"-z", "-k", whole, cut}));
  EXPECT_EQ(result.out, "20000 " + whole + "\n20000 total\n");
  EXPECT_EQ(result.err, "linecount: " + cut + ": unexpected end of compressed data (" +
                            GetParam().name + ")\n");
  EXPECT_EQ(result.exit_code, 1);
}

TEST_P(Decompress, DamagedDataIsAnError) {
  const std::string log = write_log(dir_, "app.log", 20'000);
  std::string data = read_file(compressed(log, "whole" + GetParam().extension));
  for (std::size_t at = data.size() / 2; at < data.size() / 2 + 16; ++at)
    data[at] = static_cast<char>(data[at] ^ 0x5a);
  const std::string damaged = dir_.write("damaged" + GetParam().extension, data);
  const outcome result = run(call({"-z", "--json", damaged}));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out.find(R"("lines")"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find(R"({"path":")" + damaged + R"(","error":")"), std::string::npos)
      << result.out;
  // Either message fits damage in the middle: the data may fail to decode, or decode to
  // something its checksum refuses.
  const std::string corrupt = "corrupt compressed data (" + GetParam().name + ")";
  const std::string checksum = "checksum mismatch in compressed data (" + GetParam().name + ")";
  EXPECT_TRUE(result.err == "linecount: " + damaged + ": " + corrupt + "\n" ||
              result.err == "linecount: " + damaged + ": " + checksum + "\n")
      << result.err;
}

TEST_P(Decompress, JsonNamesTheFormat) {
  const std::string log = write_log(dir_, "app.log", 100);
  const std::string file = compressed(log, "log" + GetParam().extension);
  EXPECT_EQ(run(call({"-z", "--json", "--total=never", file})).out,
            R"({"path":")" + file + R"(","lines":100,"compression":")" + GetParam().name +
                "\"}\n");
}

TEST_P(Decompress, WithoutZTheCompressedBytesAreCountedAsTheyAre) {
  const std::string log = write_log(dir_, "app.log", 20'000);
  const std::string file = compressed(log, "log" + GetParam().extension);
  std::string expected = shell("wc -l < '" + file + "'");
  expected.erase(0, expected.find_first_not_of(' '));
  EXPECT_EQ(run(call({file})).out, expected.substr(0, expected.size() - 1) + " " + file + "\n");
}

INSTANTIATE_TEST_SUITE_P(Formats, Decompress, ::testing::ValuesIn(all_formats()),
                         [](const ::testing::TestParamInfo<format_tools>& format) {
                           return format.param.label;
                         });

// linecount with `args`, and LINECOUNT_ISAL set to `setting` ("off": gzip through zlib).
invocation with_isal(const std::string& setting, std::vector<std::string> args) {
  invocation what;
  what.args = std::move(args);
  what.env = {"LINECOUNT_ISAL=" + setting};
  return what;
}

TEST(DecompressGzip, BgzfAsBgzipWritesIt) {
  temp_dir dir;
  const std::string file = dir.write("reads.bgz", bgzf(text_with_lines(1000)) + bgzf("a\nb\n"));
  std::string expected = shell("zcat < '" + file + "' | wc -l");
  EXPECT_EQ(expected, "1002\n");
  for (const std::string isal : {"on", "off"})
    EXPECT_EQ(run(with_isal(isal, {"-z", file})).out, "1002 " + file + "\n") << "ISA-L " << isal;
}

TEST(DecompressGzip, HeadersWithEveryOptionalPart) {
  temp_dir dir;
  const std::string data = gzip_with_full_header(text_with_lines(700)) + bgzf("a\n") +
                           gzip_with_full_header("b\n");
  const std::string file = dir.write("full.gz", data);
  EXPECT_EQ(shell("zcat < '" + file + "' | wc -l"), "702\n");
  for (const std::string isal : {"on", "off"})
    EXPECT_EQ(run(with_isal(isal, {"-z", file})).out, "702 " + file + "\n") << "ISA-L " << isal;
}

TEST(DecompressGzip, ChecksumLengthAndTrailingGarbage) {
  temp_dir dir;
  const std::string data = compress(linecount::compression::gzip, text_with_lines(1000));
  std::string bad_crc = data;
  bad_crc[data.size() - 8] = static_cast<char>(bad_crc[data.size() - 8] ^ 1);
  std::string bad_length = data;
  bad_length[data.size() - 1] = static_cast<char>(bad_length[data.size() - 1] ^ 1);
  const std::string crc = dir.write("crc.gz", bad_crc);
  const std::string length = dir.write("length.gz", bad_length);
  const std::string trailing = dir.write("trailing.gz", data + "not gzip\n");
  const std::string good = dir.write("good.gz", data);
  for (const std::string isal : {"on", "off"}) {
    const outcome result = run(with_isal(isal, {"-z", "-k", crc, good, length, trailing}));
    EXPECT_EQ(result.out, "1000 " + good + "\n1000 total\n") << "ISA-L " << isal;
    EXPECT_EQ(result.err, "linecount: " + crc + ": checksum mismatch in compressed data (gzip)\n" +
                              "linecount: " + length +
                              ": checksum mismatch in compressed data (gzip)\n" + "linecount: " +
                              trailing + ": trailing garbage after compressed data (gzip)\n")
        << "ISA-L " << isal;
    EXPECT_EQ(result.exit_code, 1);
  }
}

// ISA-L inflates gzip (decompress/isal_library.hpp): the program, a static PIE, loads it
// when the first gzip file comes, and only then. scripts/setup.sh installs it; a build
// without its header inflates with zlib and loads nothing.
TEST(DecompressGzip, IsalIsLoadedForGzipFilesOnly) {
#if !__has_include(<isa-l/igzip_lib.h>)
  GTEST_SKIP() << "built without ISA-L (libisal-dev): zlib inflates gzip";
#endif
  ASSERT_EQ(std::system("strace -V > /dev/null 2>&1"), 0)
      << "strace is needed (scripts/setup.sh --test installs it)";
  temp_dir dir;
  const std::string plain = dir.write("plain.txt", text_with_lines(10));
  const std::string zstd = dir.write("f.zst", compress(linecount::compression::zstd, "a\n"));
  const std::string gzip_data = compress(linecount::compression::gzip, "a\nb\n");
  const std::string gzip = dir.write("f.gz", gzip_data);
  const std::string log = dir / "strace.log";
  bool turned_off = false;
  // How many times `args` opened ISA-L's library, and what it printed.
  auto isal_opens = [&](const std::vector<std::string>& args, const std::string& expected) {
    invocation what;
    // -z: successful calls only, each on one whole line. LeakSanitizer cannot run under ptrace.
    what.wrapper = {"env", with_inherited_options("ASAN_OPTIONS", "detect_leaks=0"), "strace",
                    "-f", "-qq", "-z", "-e", "trace=open,openat", "-o", log};
    what.args = args;
    if (turned_off) what.env = {"LINECOUNT_ISAL=off"};
    const outcome result = run(what);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(result.out, expected);
    int opens = 0;
    std::ifstream in{log};
    for (std::string line; std::getline(in, line);)
      if (line.find("/libisal.so.2\"") != std::string::npos) ++opens;
    return opens;
  };
  EXPECT_EQ(isal_opens({"-z", "-k", plain, zstd}, "10 " + plain + "\n1 " + zstd + "\n11 total\n"), 0)
      << "no gzip file, no ISA-L";
  // Without -z the compressed bytes are counted as they are.
  const auto raw_newlines = std::count(gzip_data.begin(), gzip_data.end(), '\n');
  EXPECT_EQ(isal_opens({"--total=only", plain, gzip}, std::to_string(10 + raw_newlines) + "\n"), 0)
      << "no -z, no ISA-L";
  EXPECT_EQ(isal_opens({"-z", "--total=only", plain, gzip, gzip}, "14\n"), 1)
      << "loaded once, for the first gzip file";
  turned_off = true;
  EXPECT_EQ(isal_opens({"-z", "--total=only", plain, gzip}, "12\n"), 0) << "LINECOUNT_ISAL=off";
}

TEST(DecompressMixed, PlainFilesAndLookalikesAreCountedAsTheyAre) {
  temp_dir dir;
  const std::string lookalike = dir.write("bz.txt", "BZh9 starts this line\nand this\n");
  const std::string tiny = dir.write("tiny", "\x1f\n");  // shorter than any magic number
  const std::string plain = dir.write("plain", text_with_lines(3000));
  const outcome result = run({"-z", "-k", "--json", lookalike, tiny, plain});
  EXPECT_EQ(result.out, R"({"path":")" + lookalike + R"(","lines":2})" + "\n" +
                            R"({"path":")" + tiny + R"(","lines":1})" + "\n" + R"({"path":")" +
                            plain + R"(","lines":3000})" + "\n" +
                            R"({"total":3003,"files":3,"errors":0})" + "\n");
}

TEST(DecompressMixed, RecursiveWalkDecompressesToo) {
  temp_dir dir;
  std::filesystem::create_directories(dir.path() / "logs" / "old");
  const std::string text = text_with_lines(400);
  dir.write("logs/app.log", text);
  dir.write("logs/old/app.log.1.gz", compress(linecount::compression::gzip, text));
  dir.write("logs/old/app.log.2.zst", compress(linecount::compression::zstd, text + text));
  const std::string root = (dir.path() / "logs").string();
  EXPECT_EQ(run({"-z", "-r", "-k", root}).out,
            "400 " + root + "/app.log\n400 " + root + "/old/app.log.1.gz\n800 " + root +
                "/old/app.log.2.zst\n1600 total\n");
}

TEST(DecompressMixed, ManyCompressedFilesAtOnceEachCountedRight) {
  temp_dir dir;
  std::vector<std::string> args{"-z", "-k"};
  std::string expected;
  std::uint64_t total = 0;
  const linecount::compression formats[] = {
      linecount::compression::gzip, linecount::compression::zstd, linecount::compression::xz,
      linecount::compression::bzip2, linecount::compression::lz4};
  for (std::size_t i = 0; i < 40; ++i) {
    const std::size_t lines = 1000 + i * 37;
    const std::string name = "f" + std::to_string(i);
    args.push_back(dir.write(name, compress(formats[i % 5], text_with_lines(lines))));
    expected += std::to_string(lines) + " " + args.back() + "\n";
    total += lines;
  }
  expected += std::to_string(total) + " total\n";
  EXPECT_EQ(run(args).out, expected);
}

TEST(DecompressMixed, ABombCountsInBoundedMemory) {
  // 10 GiB of newlines in 340 KB of zstd (160 frames of 64 MiB each; 16 frames, 1 GiB, under
  // the sanitizers, which only check correctness here): counted in the decoder's window and
  // two buffers, never held whole.
  const int frames = under_sanitizer ? 16 : 160;
  temp_dir dir;
  const std::string bomb = (dir.path() / "bomb.zst").string();
  shell("head -c 67108864 /dev/zero | tr '\\0' '\\n' | zstd -q -c > '" + bomb + ".frame' && " +
        "for i in $(seq " + std::to_string(frames) + "); do cat '" + bomb + ".frame'; done > '" +
        bomb + "'");
  const outcome result = run({"-z", bomb});
  const std::uint64_t lines = (std::uint64_t{64} << 20U) * static_cast<std::uint64_t>(frames);
  EXPECT_EQ(result.out, std::to_string(lines) + " " + bomb + "\n");
  if (!under_sanitizer) {
    EXPECT_LT(result.peak_rss_kib, 64 * 1024);
  }
}

}  // namespace
