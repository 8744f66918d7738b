#include <jobmarket/cli/app.hpp>

int main(int argc, char** argv) { return jobmarket::cli::run(argc, argv); }
