// --progress: a live status line on a terminal's standard error, seen through tmux.

#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <sstream>
#include <sys/stat.h>
#include <thread>

namespace {

using namespace linecount::testing;
using namespace std::chrono_literals;

bool have_tmux() { return std::system("tmux -V > /dev/null 2>&1") == 0; }

// One tmux server of its own, with one pane running a command in a real terminal.
class terminal {
 public:
  terminal(const std::string& command, const std::string& socket) : socket_(socket) {
    const auto started = run_shell("tmux -L " + socket_ + " -f /dev/null new-session -d -x 160 -y 12 " +
                                   quoted(command));
    EXPECT_EQ(started.exit_code, 0) << started.err;
  }
  ~terminal() { (void)run_shell("tmux -L " + socket_ + " kill-server"); }
  terminal(const terminal&) = delete;
  terminal& operator=(const terminal&) = delete;

  [[nodiscard]] std::string screen() const {
    return run_shell("tmux -L " + socket_ + " capture-pane -p").out;
  }

  /// Waits until `seen` holds for the screen; returns the screen then (or the last one).
  std::string wait_for(const std::function<bool(const std::string&)>& seen) const {
    const auto deadline = std::chrono::steady_clock::now() + default_deadline;
    std::string now = screen();
    while (!seen(now) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(20ms);
      now = screen();
    }
    return now;
  }

 private:
  static std::string quoted(const std::string& text) {
    std::string out = "'";
    for (const char c : text) out += c == '\'' ? std::string{"'\\''"} : std::string{c};
    return out + "'";
  }
  std::string socket_;
};

// A screen line "linecount: <files> files, <bytes>, <rate>/s, <seconds> s".
bool shows_status(const std::string& screen, const std::string& files_and_bytes) {
  std::istringstream lines{screen};
  const std::string prefix = "linecount: " + files_and_bytes + ", ";
  for (std::string line; std::getline(lines, line);) {
    while (!line.empty() && line.back() == ' ') line.pop_back();  // tmux pads the pane
    if (line.starts_with(prefix) && line.ends_with(" s") && line.find("/s, ") != std::string::npos)
      return true;
  }
  return false;
}

bool contains(const std::string& screen, const std::string& text) {
  return screen.find(text) != std::string::npos;
}

std::string socket_name(const char* test) { return std::string{"linecount-"} + test + "-" + std::to_string(::getpid()); }

TEST(Progress, ShowsALiveLineAndClearsItAtTheEnd) {
  ASSERT_TRUE(have_tmux()) << "tmux is needed (scripts/setup.sh --test installs it)";
  temp_dir dir;
  held_fifo fifo{dir / "fifo"};
  const auto quick = dir.write("quick", "1\n2\n");
  terminal tty{"'" + linecount_binary() + "' --progress '" + quick + "' '" + fifo.path() +
                   "'; echo EXIT=$?; sleep 60",
               socket_name("live")};
  // The quick file is done, the FIFO holds the run open: the status line is on screen.
  const auto during = tty.wait_for([](const std::string& now) { return shows_status(now, "1/2 files, 4 B"); });
  EXPECT_TRUE(shows_status(during, "1/2 files, 4 B")) << during;
  EXPECT_TRUE(contains(during, "2 " + quick + "\n")) << during;
  fifo.write("a\n");
  fifo.close();
  const auto after = tty.wait_for([](const std::string& now) { return contains(now, "EXIT="); });
  // Records, then the total, then the shell: no status line left anywhere.
  EXPECT_FALSE(contains(after, "files,")) << after;
  EXPECT_TRUE(contains(after, "2 " + quick + "\n1 " + fifo.path() + "\n3 total\nEXIT=0\n")) << after;
}

TEST(Progress, NeverTouchesStandardOutput) {
  ASSERT_TRUE(have_tmux()) << "tmux is needed (scripts/setup.sh --test installs it)";
  temp_dir dir;
  held_fifo fifo{dir / "fifo"};
  const auto out = dir / "out";
  terminal tty{"'" + linecount_binary() + "' --progress '" + fifo.path() + "' > '" + out +
                   "'; echo EXIT=$?; sleep 60",
               socket_name("stdout")};
  const auto during = tty.wait_for([](const std::string& now) { return shows_status(now, "0/1 files, 0 B"); });
  EXPECT_TRUE(shows_status(during, "0/1 files, 0 B")) << during;
  fifo.write("a\nb\n");
  fifo.close();
  const auto after = tty.wait_for([](const std::string& now) { return contains(now, "EXIT="); });
  EXPECT_TRUE(contains(after, "EXIT=0")) << after;
  EXPECT_FALSE(contains(after, "files,")) << after;
  EXPECT_EQ(run_shell("cat '" + out + "'").out, "2 " + fifo.path() + "\n");
}

TEST(Progress, CountsTheFilesOfAWalk) {
  temp_dir dir;
  std::filesystem::create_directories(dir / "tree/sub");
  dir.write("tree/a", "1\n");
  dir.write("tree/sub/b", "1\n2\n");
  dir.write("tree/sub/c", "1\n2\n3\n");
  held_fifo fifo{dir / "fifo"};
  terminal tty{"'" + linecount_binary() + "' --progress -r --total=only '" + (dir / "tree") +
                   "' '" + fifo.path() + "'; echo EXIT=$?; sleep 60",
               socket_name("walk")};
  // The walk's three files are done and the operands are all known: no "+".
  const auto during = tty.wait_for([](const std::string& now) { return shows_status(now, "3/4 files, 12 B"); });
  EXPECT_TRUE(shows_status(during, "3/4 files, 12 B")) << during;
  fifo.write("x\n");
  fifo.close();
  const auto after = tty.wait_for([](const std::string& now) { return contains(now, "EXIT="); });
  EXPECT_TRUE(contains(after, "7\nEXIT=0\n")) << after;
  EXPECT_FALSE(contains(after, "files,")) << after;
}

TEST(Progress, CountsTheFilesOfAStreamedList) {
  temp_dir dir;
  const auto quick = dir.write("quick", "1\n2\n");
  const auto later = dir.write("later", "1\n");
  held_fifo list{dir / "list"};
  terminal tty{"'" + linecount_binary() + "' --progress --files0-from='" + list.path() +
                   "'; echo EXIT=$?; sleep 60",
               socket_name("list")};
  list.write(quick + '\0');
  // One file done, and the list still open: more may come ("+").
  const auto during = tty.wait_for([](const std::string& now) { return shows_status(now, "1/1+ files, 4 B"); });
  EXPECT_TRUE(shows_status(during, "1/1+ files, 4 B")) << during;
  list.write(later + '\0');
  list.close();
  const auto after = tty.wait_for([](const std::string& now) { return contains(now, "EXIT="); });
  EXPECT_TRUE(contains(after, "2 " + quick + "\n1 " + later + "\n3 total\nEXIT=0\n")) << after;
  EXPECT_FALSE(contains(after, "files,")) << after;
}

TEST(Progress, OffWhenStandardErrorIsNotATerminal) {
  temp_dir dir;
  const auto a = dir.write("a", "1\n");
  const auto result = run({"--progress", a});
  EXPECT_EQ(result.out, "1 " + a + "\n");
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(result.exit_code, 0);
}

}  // namespace
