fn main() -> std::process::ExitCode {
    zinit::cli::main()
}
