// Runs a real process, as a user would from a shell, and captures its output.
#ifndef LENDGATE_TESTS_SUPPORT_RUN_COMMAND_H
#define LENDGATE_TESTS_SUPPORT_RUN_COMMAND_H

#include <string>
#include <vector>

namespace lendgate::test {

struct CommandResult {
    int exitCode = -1;  ///< exit status, or 128+signal if killed
    std::string out;
    std::string err;
};

/// Runs argv[0] with the given arguments; `stdinText` is fed to its stdin.
CommandResult runCommand(const std::vector<std::string> &argv, const std::string &stdinText = "",
                         const std::string &workingDirectory = "");

/// A fresh empty directory under the test temp dir, removed by the caller.
std::string makeTempDir(const std::string &prefix);

std::string readFile(const std::string &path);
void writeFile(const std::string &path, const std::string &content);

}  // namespace lendgate::test

#endif  // LENDGATE_TESTS_SUPPORT_RUN_COMMAND_H
