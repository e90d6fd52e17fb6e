#pragma once
// The sitmap command line as a callable, so tests can run it in-process.
#include <iosfwd>
#include <string>
#include <vector>

namespace sitmap::cli {

// Runs `sitmap args...`. Returns the exit code: 0 success, 1 the work failed,
// 2 bad usage or bad input. Data goes to `out`, messages to `err`.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
        bool err_is_terminal = false);

} // namespace sitmap::cli
