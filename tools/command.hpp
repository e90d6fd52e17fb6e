#pragma once
// A subcommand of the sitmap CLI: its name, a one-line summary, its options and its work.
// Each lives in tools/commands/<name>.cpp; tools/registry.cpp lists them all.
#include <iosfwd>
#include <memory>
#include <string_view>
#include <vector>

namespace CLI {
class App;
}

namespace sitmap::cli {

struct Io {
    std::ostream& out; // data
    std::ostream& err; // messages
    bool progress = false; // draw progress on err (only when it is a terminal, or --progress)
};

class Command {
public:
    virtual ~Command() = default;
    virtual std::string_view name() const = 0;
    virtual std::string_view summary() const = 0;
    // Declares the options. Parsing checks them; it opens and creates no files.
    virtual void setup(CLI::App& app) = 0;
    // Does the work. Throws UsageError/InputError (exit 2) or anything else (exit 1).
    virtual int run(Io& io) = 0;
};

using CommandFactory = std::unique_ptr<Command> (*)();

// Every subcommand, in the order `sitmap --help` lists them.
const std::vector<CommandFactory>& registry();

} // namespace sitmap::cli
