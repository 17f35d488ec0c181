//! Every integration test, in one binary: one link instead of one per file, which is most
//! of what a release test build costs. Each module drives the real app over HTTP.

mod common;

mod admin_auth;
mod admin_configurations;
mod admin_directory;
mod admin_sessions;
mod admin_tokens;
mod durability;
mod idp_entra;
mod idp_okta;
mod invitations;
mod legacy_migration;
mod portal_assets;
mod portal_security;
mod portal_soak;
mod scim_bulk;
mod scim_cursor_paging;
mod scim_door;
mod scim_filter_differential;
mod scim_filters;
mod scim_generated;
mod scim_groups;
mod scim_hostile;
mod scim_large_lists;
mod scim_log_secrets;
mod scim_rate_limit;
mod scim_request_log;
mod scim_schema;
mod scim_users;
mod server_shutdown;
mod token_freshness;
mod token_lifetime;
mod tokens_cli;
