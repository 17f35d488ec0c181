//! `provisio`: serve (the default), admin, token, migrate.

use anyhow::Context;
use clap::Parser;
use provisio::server::config::{AdminCommand, Cli, Command, ServeConfig, TokenCommand, TokenId};
use provisio::server::{cli, startup::Application, telemetry};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    telemetry::init();
    let cli = Cli::parse();
    match cli.command {
        None => serve(ServeConfig::new(cli.database, cli.serve)?).await,
        Some(Command::Serve(args)) => serve(ServeConfig::new(cli.database, *args)?).await,
        Some(Command::Migrate) => cli::migrate(&cli.database).await,
        Some(Command::Admin(AdminCommand::Create { username })) => {
            let password = cli::read_password().context("could not read the password")?;
            cli::create_admin(&cli.database, &username, &password).await
        }
        Some(Command::Token(command)) => token(&cli.database, command).await,
    }
}

async fn token(database: &str, command: TokenCommand) -> anyhow::Result<()> {
    match command {
        TokenCommand::Create { idp, expires, public_url } => {
            println!("{}", cli::create_token_expiring(database, idp.into(), &public_url, &expires).await?)
        }
        TokenCommand::List { idp } => println!("{}", cli::token_table(&cli::list_tokens(database, idp.into()).await?)),
        TokenCommand::SetActive(TokenId { idp, id }) => {
            cli::set_token_active(database, idp.into(), &id, true).await?;
            println!("Token {id} is active.");
        }
        TokenCommand::SetInactive(TokenId { idp, id }) => {
            cli::set_token_active(database, idp.into(), &id, false).await?;
            println!("Token {id} is inactive: it gets 401 until set active again.");
        }
        TokenCommand::Renew { token: TokenId { idp, id }, expires, public_url } => {
            println!("{}", cli::renew_token(database, idp.into(), &id, &expires, &public_url).await?)
        }
        TokenCommand::Delete(TokenId { idp, id }) => {
            cli::delete_token(database, idp.into(), &id).await?;
            println!("Token {id} deleted.");
        }
    }
    Ok(())
}

async fn serve(config: ServeConfig) -> anyhow::Result<()> {
    let app = Application::build(config).await?;
    app.run_until_stopped().await
}
