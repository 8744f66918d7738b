#include <jobmarket/cli/app.hpp>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <fmt/format.h>

#include <csignal>
#include <optional>

#include "command.hpp"
#include "io.hpp"
#include "options.hpp"
#include "version.hpp"
#include <jobmarket/render/escape.hpp>

namespace jobmarket::cli {

namespace {

void setup_logging(const Globals& g) {
  std::vector<spdlog::sink_ptr> sinks;
  sinks.push_back(std::make_shared<spdlog::sinks::stderr_sink_mt>());
  if (!g.log_file.empty()) {
    try {
      sinks.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(g.log_file));
    } catch (const spdlog::spdlog_ex& e) {
      throw UsageError{fmt::format("--log-file {}: cannot open: {}", g.log_file, e.what())};
    }
  }
  auto logger = std::make_shared<spdlog::logger>("jobmarket", sinks.begin(), sinks.end());
  logger->set_pattern("jobmarket: %l: %v");
  logger->set_level(g.quiet ? spdlog::level::err
                    : g.verbose >= 2 ? spdlog::level::trace
                    : g.verbose == 1 ? spdlog::level::debug
                                     : spdlog::level::warn);
  spdlog::set_default_logger(logger);
}

constexpr const char* kExitCodes =
    "Exit codes:\n"
    "  0  success: every row read and accounted for\n"
    "  1  data errors: some rows were rejected (reported on stderr), or --strict stopped;\n"
    "     for diff: a --fail-if condition holds\n"
    "  2  usage or fatal error: bad option, unreadable input, invalid rules, unwritable output\n"
    "A closed pipe (jobmarket ... | head) is not an error.";

}  // namespace

namespace {

// The parsed and checked command line: the app with every subcommand declared, the global
// flags, and the command to run.
struct CommandLine {
  CLI::App app{"jobmarket: classify AI large-model job postings as algorithm research, "
               "engineering & deployment or other, and summarize salary, entry barriers and "
               "trends."};
  Globals globals;
  bool version = false;
  std::vector<std::pair<CLI::App*, Run>> runs;

  CommandLine() {
    app.footer(kExitCodes);
    app.set_help_all_flag("--help-all", "Print the help of every command (used for the man page)");
    app.require_subcommand(0, 1);
    app.fallthrough();  // global flags (-q, -v) are accepted after the subcommand too
    app.add_flag("-v,--verbose", globals.verbose, "More log output on stderr (repeat for more)");
    app.add_flag("-q,--quiet", globals.quiet, "Only errors on stderr");
    app.add_option("--log-file", globals.log_file, "Also write the log to FILE (appended)")
        ->type_name("FILE");
    app.add_flag("-V,--version", version, "Print the version and the built-in rule-table version");
    for (const auto& cmd : commands()) {
      CLI::App* sub = app.add_subcommand(cmd.name, cmd.summary);
      sub->footer(std::string("Examples:\n") + cmd.examples + "\n\n" + kExitCodes);
      runs.emplace_back(sub, cmd.setup(*sub));
    }
    // Runs after the command's own checks, which name its files.
    on_parsed(app, [this] {
      refuse_together(globals.verbose > 0, "--verbose", globals.quiet, "--quiet",
                      "-q shows only errors, -v more than warnings");
      check_log_file(globals.log_file);
    });
  }

  // Parses and checks everything, reading and writing nothing; the exit code when the
  // run ends here (help, version, a usage error), nullopt when the command is to run.
  std::optional<int> parse(int argc, char** argv) {
    reset_claims();
    try {
      app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
      return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
      return app.exit(e);
    } catch (const CLI::ParseError& e) {
      std::fprintf(stderr, "jobmarket: error: %s\n", render::visible(e.what()).c_str());
      std::fprintf(stderr, "Run 'jobmarket --help' for usage.\n");
      return kExitUsage;
    } catch (const UsageError& e) {
      std::fprintf(stderr, "jobmarket: error: %s\n", render::visible_lines(e.message).c_str());
      return kExitUsage;
    }
    if (version) {
      std::printf("%s", version_text().c_str());
      return kExitOk;
    }
    return std::nullopt;
  }
};

}  // namespace

int check_command_line(int argc, char** argv) {
  CommandLine cl;
  return cl.parse(argc, argv).value_or(kExitOk);
}

int run(int argc, char** argv) {
  // A closed pipe surfaces as EPIPE from write(), handled as a quiet exit.
  std::signal(SIGPIPE, SIG_IGN);
  // An interrupted run (Ctrl-C, kill, timeout) leaves no temporary output behind.
  install_signal_cleanup();

  CommandLine cl;
  if (auto code = cl.parse(argc, argv)) return *code;
  for (auto& [sub, run_cmd] : cl.runs) {
    if (!sub->parsed()) continue;
    try {
      setup_logging(cl.globals);
      return run_cmd(cl.globals);
    } catch (const BrokenPipe&) {
      return kExitOk;
    } catch (const UsageError& e) {
      std::fprintf(stderr, "jobmarket: error: %s\n", render::visible_lines(e.message).c_str());
      return kExitUsage;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "jobmarket: error: %s\n", render::visible_lines(e.what()).c_str());
      return kExitUsage;
    }
  }
  std::printf("%s", cl.app.help().c_str());
  return kExitUsage;
}

}  // namespace jobmarket::cli
