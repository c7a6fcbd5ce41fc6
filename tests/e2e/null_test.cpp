// -0, --null: NUL-terminated records and names never quoted, for xargs -0 and sort -z.

#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

namespace {

using namespace linecount::testing;

const std::string nul{"\0", 1};

TEST(Null, RecordsEndInNulAndNamesStayRaw) {
  temp_dir dir;
  const auto plain = dir.write("plain", "1\n2\n");
  const auto odd = dir.write("new\nline 'q'", "1\n");
  const auto result = run({"-0", "-k", plain, odd});
  EXPECT_EQ(result.out, "2 " + plain + nul + "1 " + odd + nul + "3 total" + nul);
  EXPECT_EQ(result.exit_code, 0);
}

TEST(Null, StandardInputAndTotalOnly) {
  invocation what;
  what.args = {"--null"};
  what.stdin_data = "a\nb\nc\n";
  EXPECT_EQ(run(what).out, "3" + nul);
  temp_dir dir;
  const auto a = dir.write("a", "1\n");
  EXPECT_EQ(run({"-0", "--total=only", a, a}).out, "2" + nul);
}

TEST(Null, SortsWithSortZ) {
  temp_dir dir;
  const auto script = "cd '" + dir.path().string() +
                      "' && printf '1\\n2\\n3\\n' > three && printf '1\\n' > 'one\nname' && "
                      ": > zero && \"$LC\" -0 --total=never * | sort -z -n | tr '\\0' '|'";
  const auto result = run_shell(script);
  EXPECT_EQ(result.out, "0 zero|1 one\nname|3 three|");
}

}  // namespace
