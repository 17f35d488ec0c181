//! `provisio`: serve (the default), admin, token, migrate.

use anyhow::Context;
use clap::Parser;
use provisio::server::config::{AdminCommand, Cli, Command, ServeConfig, TokenCommand};
use provisio::server::{cli, startup::Application, telemetry};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    telemetry::init();
    let cli = Cli::parse();
    match cli.command {
        None => serve(ServeConfig::new(cli.database, cli.serve)?).await,
        Some(Command::Serve(args)) => serve(ServeConfig::new(cli.database, args)?).await,
        Some(Command::Migrate) => cli::migrate(&cli.database).await,
        Some(Command::Admin(AdminCommand::Create { username })) => {
            let password = cli::read_password().context("could not read the password")?;
            cli::create_admin(&cli.database, &username, &password).await
        }
        Some(Command::Token(TokenCommand::Create { idp, public_url })) => {
            let created = cli::create_token(&cli.database, idp.into(), &public_url).await?;
            println!("{created}");
            Ok(())
        }
    }
}

async fn serve(config: ServeConfig) -> anyhow::Result<()> {
    let app = Application::build(config).await?;
    app.run_until_stopped().await
}
