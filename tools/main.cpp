// sitmap: the command line. All the work is in cli::run; main only wires the process to it.
#include "tools/cli.hpp"

#include <unistd.h>

#include <iostream>

int main(int argc, char** argv) {
    std::ios::sync_with_stdio(false);
    std::vector<std::string> args(argv + 1, argv + argc);
    const int rc = sitmap::cli::run(args, std::cout, std::cerr, ::isatty(STDERR_FILENO) != 0);
    std::cout.flush();
    return rc;
}
