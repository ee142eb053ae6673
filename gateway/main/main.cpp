#include "cli/cli.hpp"

int main(int argc, char** argv) { return satupintu::cli::Run(argc, argv); }
