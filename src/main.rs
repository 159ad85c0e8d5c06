#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    if let Some(code) = zinit::run::process::contain::watchdog::main_if_asked() {
        return code;
    }
    zinit::cli::main()
}
