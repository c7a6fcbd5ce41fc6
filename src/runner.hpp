#pragma once
// The counting run: operands → one coroutine per file on an io_context → blocking reads on a
// thread pool → counting → records on standard output, in the order files finish.

#include "cli/command_line.hpp"

namespace linecount::app {

/// Counts everything `opts` names; returns the exit status (0 all counted, 1 otherwise).
[[nodiscard]] int run(const options& opts);

}  // namespace linecount::app
