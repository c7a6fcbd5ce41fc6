#include "report/progress.hpp"
#include "report/results.hpp"

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include <array>
#include <fcntl.h>
#include <unistd.h>

namespace {

using namespace linecount::app;
using namespace std::string_literals;

// A result_printer writing into a pipe, and what came out of it.
class printed {
 public:
  explicit printed(output_style style) : style_(style) {
    EXPECT_EQ(::pipe2(fds_.data(), O_NONBLOCK), 0);
    out_.emplace(io_.get_executor(), fds_[1]);
    printer_.emplace(*out_, style_);
  }
  ~printed() {
    ::close(fds_[0]);
    ::close(fds_[1]);
  }
  printed(const printed&) = delete;
  printed& operator=(const printed&) = delete;

  result_printer& printer() { return *printer_; }

  std::string text() {
    out_->flush();
    std::string all;
    std::array<char, 4096> buffer{};
    for (ssize_t got; (got = ::read(fds_[0], buffer.data(), buffer.size())) > 0;)
      all.append(buffer.data(), static_cast<std::size_t>(got));
    return all;
  }

 private:
  output_style style_;
  boost::asio::io_context io_;
  std::array<int, 2> fds_{};
  std::optional<record_writer> out_;
  std::optional<result_printer> printer_;
};

file_result counted(std::uint64_t index, std::string name, std::uint64_t lines) {
  return {index, std::move(name), true, lines, {}, {}, {}};
}

file_result failed(std::uint64_t index, std::string name, std::string reason) {
  return {index, name, true, std::nullopt, name + ": " + reason, reason, {}};
}

TEST(ResultPrinter, KeepOrderHoldsResultsUntilTheEarlierOnesArrive) {
  printed out{{record_format::text, '\n', linecount::total_mode::automatic, true}};
  EXPECT_EQ(out.printer().take(counted(2, "c", 3)), 0U);
  EXPECT_EQ(out.printer().take(counted(1, "b", 2)), 0U);
  EXPECT_EQ(out.text(), "");
  EXPECT_EQ(out.printer().take(counted(0, "a", 1)), 3U);
  EXPECT_EQ(out.printer().take(counted(3, "d", 4)), 1U);
  out.printer().finish();
  EXPECT_EQ(out.text(), "1 a\n2 b\n3 c\n4 d\n10 total\n");
}

TEST(ResultPrinter, WithoutKeepOrderEachResultGoesOutAtOnce) {
  printed out{{record_format::text, '\n', linecount::total_mode::automatic, false}};
  EXPECT_EQ(out.printer().take(counted(2, "c", 3)), 1U);
  EXPECT_EQ(out.printer().take(counted(0, "a", 1)), 1U);
  out.printer().finish();
  EXPECT_EQ(out.text(), "3 c\n1 a\n4 total\n");
}

TEST(ResultPrinter, FailuresGoToStandardErrorInTheirTurn) {
  printed out{{record_format::text, '\n', linecount::total_mode::automatic, true}};
  ::testing::internal::CaptureStderr();
  out.printer().take(failed(1, "gone", "No such file or directory"));
  const std::string early = ::testing::internal::GetCapturedStderr();
  ::testing::internal::CaptureStderr();
  out.printer().take(counted(0, "a", 1));
  const std::string later = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(early, "");
  EXPECT_EQ(later, "linecount: gone: No such file or directory\n");
  out.printer().finish();
  EXPECT_EQ(out.text(), "1 a\n1 total\n");
  EXPECT_EQ(out.printer().failures(), 1U);
}

TEST(ResultPrinter, JsonRecordsAndTotal) {
  printed out{{record_format::json, '\n', linecount::total_mode::automatic, false}};
  ::testing::internal::CaptureStderr();
  out.printer().take(counted(0, "a \"q\"", 5));
  out.printer().take(failed(1, "x", "Is a directory"));
  out.printer().take(counted(2, "caf\xE9", 1));
  out.printer().take({3, {}, false, 2, {}, {}, {}});
  (void)::testing::internal::GetCapturedStderr();
  out.printer().finish();
  EXPECT_EQ(out.text(), R"({"path":"a \"q\"","lines":5})" "\n"
                        R"({"path":"x","error":"Is a directory"})" "\n"
                        R"({"path_bytes":"Y2Fm6Q==","lines":1})" "\n"
                        R"({"path":"-","lines":2})" "\n"
                        R"({"total":8,"files":3,"errors":1})" "\n");
}

TEST(ResultPrinter, NulTerminatedRecordsKeepNamesRaw) {
  printed out{{record_format::text, '\0', linecount::total_mode::always, false}};
  out.printer().take(counted(0, "new\nline", 1));
  out.printer().finish();
  EXPECT_EQ(out.text(), "1 new\nline\0" "1 total\0"s);
}

TEST(ResultPrinter, TotalModes) {
  {
    printed out{{record_format::text, '\n', linecount::total_mode::only, false}};
    out.printer().take(counted(0, "a", 1));
    out.printer().take(counted(1, "b", 2));
    out.printer().finish();
    EXPECT_EQ(out.text(), "3\n");
  }
  {
    printed out{{record_format::text, '\n', linecount::total_mode::automatic, false}};
    out.printer().take(counted(0, "a", 1));
    out.printer().finish();
    EXPECT_EQ(out.text(), "1 a\n");
  }
  {
    printed out{{record_format::json, '\n', linecount::total_mode::never, false}};
    out.printer().take(counted(0, "a", 1));
    out.printer().take(counted(1, "b", 1));
    out.printer().finish();
    EXPECT_EQ(out.text(), R"({"path":"a","lines":1})" "\n" R"({"path":"b","lines":1})" "\n");
  }
}

TEST(ProgressMeter, StatusText) {
  using std::chrono::duration;
  EXPECT_EQ(progress_meter::status_text(3, 10, true, 512, duration<double>{2.0}),
            "linecount: 3/10 files, 512 B, 256 B/s, 2.0 s");
  EXPECT_EQ(progress_meter::status_text(1200, 5000, false, 39321600, duration<double>{0.5}),
            "linecount: 1200/5000+ files, 37.5 MiB, 75.0 MiB/s, 0.5 s");
  EXPECT_EQ(progress_meter::status_text(0, 0, false, 0, duration<double>{0.0}),
            "linecount: 0/0+ files, 0 B, 0 B/s, 0.0 s");
}

TEST(ProgressMeter, DrawsNothingWhenNotATerminal) {
  std::array<int, 2> fds{};
  ASSERT_EQ(::pipe(fds.data()), 0);
  {
    progress_meter meter{fds[1], true};
    EXPECT_FALSE(meter.active());
    EXPECT_EQ(active_progress_meter(), nullptr);
  }
  ::close(fds[1]);
  std::array<char, 16> buffer{};
  EXPECT_EQ(::read(fds[0], buffer.data(), buffer.size()), 0);
  ::close(fds[0]);
}

}  // namespace
