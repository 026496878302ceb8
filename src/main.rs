//! The `wfl` binary: parses the command line and hands over to `wfl::cli`.

/// mimalloc: the compiler phases allocate and free many small tree nodes,
/// which it serves markedly faster and more steadily than the system
/// allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    wfl::cli::main()
}
