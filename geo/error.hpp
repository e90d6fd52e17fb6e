#pragma once
// Errors that carry their context. Only the CLI's main turns them into exit codes:
// InputError and UsageError exit 2, every other std::exception exits 1.
#include <cstddef>
#include <stdexcept>
#include <string>

namespace sitmap {

// The user asked for something that cannot be done as asked (bad option value, unknown field).
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A file the user gave is missing or malformed. The message names the file and, when known, the line.
class InputError : public std::runtime_error {
public:
    InputError(const std::string& file, std::size_t line, const std::string& what)
        : std::runtime_error(format(file, line, what)), file_(file), line_(line) {}
    explicit InputError(const std::string& what) : std::runtime_error(what) {}

    const std::string& file() const { return file_; }
    std::size_t line() const { return line_; }

private:
    static std::string format(const std::string& file, std::size_t line, const std::string& what) {
        std::string msg = "In file '" + file + "'";
        if (line > 0) msg += " on line " + std::to_string(line);
        return msg + ": " + what;
    }
    std::string file_;
    std::size_t line_ = 0;
};

// The work failed for a reason that is not the user's input (a library error, a full disk).
class WorkError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace sitmap
