//! SCIM 2.0 (RFC 7643 / 7644) rules that do not depend on HTTP or storage.

pub mod body;
pub mod bulk;
#[cfg(feature = "ssr")]
pub mod cursor;
pub mod discovery;
pub mod error;
pub mod filter;
pub mod group;
pub mod list;
pub mod patch;
pub mod projection;
pub mod resource;
pub mod schema;
#[cfg(test)]
mod test_fixtures;
pub mod user;
#[cfg(feature = "ssr")]
pub mod window;

pub use error::{ScimError, ScimType};

pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const GROUP_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
pub const ENTERPRISE_USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
pub const CUSTOM_USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User";
