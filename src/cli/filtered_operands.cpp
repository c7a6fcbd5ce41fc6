#include "cli/filtered_operands.hpp"

#include "io/retry_on_eintr.hpp"
#include "linecount/run_on_pool.hpp"

#include <boost/asio/use_awaitable.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <tuple>
#include <unistd.h>
#include <utility>

namespace linecount::app {

filtered_operands::filtered_operands(std::unique_ptr<operand_source> operands,
                                     name_filters filters, read_pool& pool)
    : operands_(std::move(operands)), filters_(std::move(filters)), pool_(&pool) {}

bool filtered_operands::named_out(const operand& taken) const {
  return taken.what == operand::kind::file && filters_.skips_operand(taken.text);
}

bool filtered_operands::opens_as_file(const std::string& path) noexcept {
  // grep opens the name first and leaves it out only once it has it open. Non-blocking, so
  // a FIFO without a writer opens at once; no controlling terminal taken.
  const int fd = retry_on_eintr(
      [&path] { return ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC); });
  if (fd < 0) return false;
  struct stat status {};
  const bool file = ::fstat(fd, &status) == 0 && !S_ISDIR(status.st_mode);
  ::close(fd);
  return file;
}

std::optional<operand> filtered_operands::ready() {
  if (held_) return std::nullopt;
  auto taken = operands_->ready();
  if (taken && named_out(*taken)) {
    held_ = std::move(taken);  // to be looked at on the pool: next() does it
    return std::nullopt;
  }
  return taken;
}

boost::asio::awaitable<std::optional<operand>> filtered_operands::next() {
  for (;;) {
    std::optional<operand> taken = std::exchange(held_, std::nullopt);
    if (!taken) taken = co_await operands_->next();
    if (!taken || !named_out(*taken)) co_return taken;
    // A named lambda, not one built inside the co_await: g++ 12 miscompiles the latter.
    auto blocking = [path = taken->text] { return std::tuple{opens_as_file(path)}; };
    const bool left_out =
        co_await async_run_on_pool(*pool_, std::move(blocking), boost::asio::use_awaitable);
    if (!left_out) co_return taken;
    operands_->give_back(std::move(taken->text));
  }
}

}  // namespace linecount::app
