#pragma once
// The satupintu command line: one table of commands (cli.cpp), one flag parser (args.hpp).
// `satupintu help` lists every command.

namespace satupintu::cli {

// Runs the command named by argv and returns the process exit code (0 done, 1 failed,
// 2 usage or configuration error).
int Run(int argc, char** argv);

}  // namespace satupintu::cli
