#pragma once

namespace satupintu::app {

// `satupintu serve [--config FILE] [--ports-file FILE]`, `satupintu check-config --config FILE`,
// `satupintu version`. Returns the process exit code.
int RunCli(int argc, char** argv);

}  // namespace satupintu::app
