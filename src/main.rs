//! The `wfl` binary: parses the command line and hands over to `wfl::cli`.

fn main() -> std::process::ExitCode {
    wfl::cli::main()
}
