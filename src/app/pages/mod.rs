//! One file per page.

pub mod account;
pub mod attributes;
pub mod audit;
pub mod configurations;
pub mod group;
pub mod groups;
pub mod legacy;
pub mod login;
pub mod not_found;
pub mod provisioning;
pub mod provisioning_log;
pub mod setup;
pub mod user;
pub mod users;
