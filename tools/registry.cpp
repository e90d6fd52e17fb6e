#include "tools/command.hpp"

namespace sitmap::cli {

std::unique_ptr<Command> make_run_command();
std::unique_ptr<Command> make_geocode_command();

const std::vector<CommandFactory>& registry() {
    static const std::vector<CommandFactory> all = {
        &make_run_command,
        &make_geocode_command,
    };
    return all;
}

} // namespace sitmap::cli
