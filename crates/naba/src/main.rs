//! The `naba` executable: the Kafka service and its companions.

mod batch;
mod config;
mod demo;
mod jsonl;
mod metrics;
mod produce;
mod service;
mod telemetry;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "naba",
    version,
    about = "Statements and named entities from Arabic and English news"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Enrich JSON Lines articles from files (or stdin) to stdout, in input order.
    Extract(batch::ExtractArgs),
    /// Try naba with nothing installed: an in-process Kafka, sample articles, the real pipeline.
    Demo(demo::DemoArgs),
    /// Send JSON Lines articles (files or stdin) to a Kafka topic, keyed by their `id`.
    Produce(produce::ProduceArgs),
    /// Consume articles from Kafka, publish enriched records and dead letters.
    Run(config::Flags),
    /// Show the effective configuration.
    Config(ConfigArgs),
}

#[derive(clap::Args)]
struct ConfigArgs {
    /// Print the effective configuration as TOML, secrets masked.
    #[arg(long)]
    print: bool,
    #[command(flatten)]
    flags: config::Flags,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(args) => batch::run(args),
        Command::Demo(args) => demo::run(args),
        Command::Produce(args) => produce::run(args),
        Command::Run(flags) => run_service(&flags),
        Command::Config(args) => print_config(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("naba: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run_service(flags: &config::Flags) -> anyhow::Result<ExitCode> {
    let cfg = config::Config::load(flags)?;
    telemetry::init(cfg.telemetry.log_format, &cfg.telemetry.log_level);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(service::run(cfg, service::signals()))?;
    Ok(ExitCode::SUCCESS)
}

fn print_config(args: &ConfigArgs) -> anyhow::Result<ExitCode> {
    let cfg = config::Config::load(&args.flags)?;
    if args.print {
        print!("{}", cfg.to_masked_toml()?);
    } else {
        eprintln!("configuration is valid (use --print to show it)");
    }
    Ok(ExitCode::SUCCESS)
}
