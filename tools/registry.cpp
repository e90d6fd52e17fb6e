#include "tools/command.hpp"

namespace sitmap::cli {

std::unique_ptr<Command> make_run_command();
std::unique_ptr<Command> make_geocode_command();
std::unique_ptr<Command> make_build_command();
std::unique_ptr<Command> make_export_command();
std::unique_ptr<Command> make_extract_command();
std::unique_ptr<Command> make_aggregate_command();
std::unique_ptr<Command> make_query_command();
std::unique_ptr<Command> make_render_command();
std::unique_ptr<Command> make_tiles_command();

const std::vector<CommandFactory>& registry() {
    static const std::vector<CommandFactory> all = {
        &make_run_command,
        &make_geocode_command,
        &make_extract_command,
        &make_build_command,
        &make_export_command,
        &make_aggregate_command,
        &make_query_command,
        &make_render_command,
        &make_tiles_command,
    };
    return all;
}

} // namespace sitmap::cli
