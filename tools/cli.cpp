#include "tools/cli.hpp"

#include "geo/error.hpp"
#include "tools/command.hpp"

#include <CLI/CLI.hpp>

#include <ostream>

namespace sitmap::cli {

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
        bool err_is_terminal) {
    CLI::App app{"sitmap: situation bulletins to GIS layers (geocoding, atlas, queries, maps)",
                 "sitmap"};
    app.set_version_flag("--version", std::string("sitmap ") + SITMAP_VERSION);
    app.require_subcommand(1, 1);
    app.footer("Run 'sitmap COMMAND --help' for a command's options.\n"
               "Exit status: 0 success, 1 the work failed, 2 bad usage or bad input.");
    bool progress = false, no_progress = false;
    app.add_flag("--progress", progress, "Show progress on stderr even when it is not a terminal");
    app.add_flag("--no-progress", no_progress, "Never show progress");

    std::vector<std::unique_ptr<Command>> commands;
    for (auto make : registry()) {
        commands.push_back(make());
        Command& c = *commands.back();
        CLI::App* sub = app.add_subcommand(std::string(c.name()), std::string(c.summary()));
        c.setup(*sub);
    }

    std::vector<std::string> reversed(args.rbegin(), args.rend());
    try {
        app.parse(reversed);
    } catch (const CLI::CallForHelp&) {
        const CLI::App* target = &app;
        for (const auto* s : app.get_subcommands()) target = s;
        out << target->help();
        return 0;
    } catch (const CLI::CallForAllHelp&) {
        out << app.help("", CLI::AppFormatMode::All);
        return 0;
    } catch (const CLI::CallForVersion& e) {
        out << e.what() << "\n";
        return 0;
    } catch (const CLI::ParseError& e) {
        std::string cmd;
        for (const auto* s : app.get_subcommands()) cmd = " " + s->get_name();
        err << "sitmap" << cmd << ": " << e.what() << "\n"
            << "Try 'sitmap" << cmd << " --help'\n";
        return 2;
    }

    Command* chosen = nullptr;
    std::string chosen_name;
    for (std::size_t i = 0; i < commands.size(); ++i) {
        if (app.got_subcommand(std::string(commands[i]->name()))) {
            chosen = commands[i].get();
            chosen_name = std::string(chosen->name());
        }
    }
    if (chosen == nullptr) {
        err << "sitmap: no command given\nTry 'sitmap --help'\n";
        return 2;
    }
    Io io{out, err, (err_is_terminal || progress) && !no_progress};
    try {
        return chosen->run(io);
    } catch (const UsageError& e) {
        err << "sitmap " << chosen_name << ": " << e.what() << "\n"
            << "Try 'sitmap " << chosen_name << " --help'\n";
        return 2;
    } catch (const InputError& e) {
        err << "sitmap " << chosen_name << ": " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        err << "sitmap " << chosen_name << ": " << e.what() << "\n";
        return 1;
    }
}

} // namespace sitmap::cli
