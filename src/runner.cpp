#include "runner.hpp"

#include "cli/filtered_operands.hpp"
#include "cli/interrupts.hpp"
#include "cli/operands.hpp"
#include "cli/walk.hpp"
#include "count/file_count.hpp"
#include "linecount/read_pool.hpp"
#include "report/output.hpp"
#include "report/progress.hpp"
#include "report/results.hpp"
#include "schedule/scheduler.hpp"

#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <unistd.h>

namespace linecount::app {

namespace asio = boost::asio;

// The pipeline (docs/design.md): operands (cli/) → scheduler (schedule/) → one file's
// pipeline (count/) reading through the pool (io/) → records (report/).
int run(const options& opts) {
  asio::io_context io{1};  // one thread runs every coroutine
  record_writer out{io.get_executor(), STDOUT_FILENO};
  progress_meter progress{STDERR_FILENO, opts.progress};
  interrupt_watch interrupts{io.get_executor(), [&out, &progress] {
                               progress.stop();
                               out.flush();
                             }};
  // Signals are taken over before any other thread starts: they inherit the blocked set.
  if (opts.progress) interrupts.arm();
  progress.start();
  read_pool pool{io, opts.threads.value_or(default_threads()),
                 opts.threads.value_or(std::min(opts.jobs, max_default_threads()))};
  pool.before_first_thread([&interrupts] { interrupts.arm(); });
  result_printer printer{out, output_style{opts.json ? record_format::json : record_format::text,
                                           opts.null_terminated ? '\0' : '\n', opts.total,
                                           opts.keep_order, out.terminal()}};

  std::unique_ptr<operand_source> source;
  if (opts.files0_from) {
    source = files0_operands::open(*opts.files0_from, io, pool);
    if (!source) return EXIT_FAILURE;
  } else {
    source = std::make_unique<argument_operands>(opts.files);
  }
  if (opts.filters.filters_files())
    source = std::make_unique<filtered_operands>(std::move(source), opts.filters, pool);
  if (opts.recursive)
    source = std::make_unique<recursive_operands>(std::move(source), pool,
                                                  read_ahead_limits{}, opts.filters);

  file_counter counter{pool, progress, {opts.count_unterminated, opts.decompress}};
  scheduler lanes{io, *source, counter, printer, progress, opts.jobs};
  lanes.start();
  try {
    io.run();
  } catch (const std::exception& error) {
    // Not a file's error (those are reported per file): out of memory, say. Stop here, before
    // unwinding frees buffers that read threads may still be filling.
    progress.stop();
    out.flush();
    report(error.what());
    std::_Exit(EXIT_FAILURE);
  }

  progress.stop();
  printer.finish();
  out.flush();
  return lanes.failed() || printer.failures() > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

}  // namespace linecount::app
