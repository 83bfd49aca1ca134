//! The `naba` executable: the Kafka service and its companions.

mod batch;
mod demo;
mod produce;

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(args) => batch::run(args),
        Command::Demo(args) => demo::run(args),
        Command::Produce(args) => produce::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("naba: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
