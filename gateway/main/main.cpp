#include "app/cli.hpp"

int main(int argc, char** argv) { return satupintu::app::RunCli(argc, argv); }
