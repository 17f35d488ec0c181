//! The records the portal shows: built by the server, rendered by the browser.

use crate::domain::idp::{Idp, Source};
use serde::{Deserialize, Serialize};

/// The signed-in administrator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminInfo {
    pub id: i64,
    pub username: String,
}

/// A SCIM token as the status table shows it (T3): never the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct TokenInfo {
    pub id: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub idp: Idp,
    pub secret_hint: String,
    pub active: bool,
    pub created_at: String,
    pub created_by: String,
    pub renewed_at: Option<String>,
    pub last_used_at: Option<String>,
    pub expires_at: Option<String>,
    /// Seconds until `expires_at`, as the server's clock reads it (negative: expired), so the
    /// page warns without its own clock.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub expires_in_seconds: Option<i64>,
}

/// A token just generated or renewed: the only time its secret is shown (T1). It must travel
/// to the browser as plain text, so `Debug` is what keeps it out of logs.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewToken {
    pub token: TokenInfo,
    pub secret: String,
    pub scim_base_url: String,
}

impl std::fmt::Debug for NewToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewToken")
            .field("token", &self.token)
            .field("secret", &"[redacted]")
            .field("scim_base_url", &self.scim_base_url)
            .finish()
    }
}

/// One line of the audit trail (T5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AuditEvent {
    pub id: i64,
    pub occurred_at: String,
    pub actor: String,
    pub action: String,
    pub target: Option<String>,
    /// English text (what the trail's search looks in).
    pub details: String,
    /// The details as data, a serialised [`crate::domain::message::Message`]; `None` for events
    /// written before details were kept as data.
    pub details_data: Option<String>,
}

impl AuditEvent {
    /// The details in the language with this code: from the data when there is some.
    pub fn details_in(&self, locale: &str) -> String {
        self.details_data
            .as_deref()
            .and_then(|data| serde_json::from_str::<crate::domain::message::Message>(data).ok())
            .map_or_else(|| self.details.clone(), |message| message.text(locale))
    }
}

/// Which audit events the trail lists; `None` means any.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    /// One kind of event, e.g. "SCIM token renewed".
    pub action: Option<String>,
    /// Text in the administrator, target or details.
    pub text: Option<String>,
}

/// A user row in the portal's Users list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct UserSummary {
    pub id: String,
    pub user_name: String,
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub active: bool,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub source: Source,
    pub updated_at: String,
}

/// Which users the Users list shows, and in what order; `None` means any.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserFilter {
    /// Text in the user name, display name or email, in any case.
    pub text: Option<String>,
    pub source: Option<Source>,
    pub status: Option<UserStatus>,
    pub sort: UserSort,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserStatus {
    Active,
    Suspended,
}

impl UserStatus {
    pub const ALL: [UserStatus; 2] = [UserStatus::Active, UserStatus::Suspended];

    pub fn of(active: bool) -> UserStatus {
        if active {
            UserStatus::Active
        } else {
            UserStatus::Suspended
        }
    }

    /// The URL spelling.
    pub fn slug(self) -> &'static str {
        match self {
            UserStatus::Active => "active",
            UserStatus::Suspended => "suspended",
        }
    }

    pub fn parse(slug: &str) -> Option<UserStatus> {
        UserStatus::ALL.into_iter().find(|status| status.slug() == slug)
    }
}

/// The orders the Users list offers; each is served by an index.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserSort {
    #[default]
    UserName,
    DisplayName,
    Newest,
    Oldest,
}

impl UserSort {
    pub const ALL: [UserSort; 4] = [UserSort::UserName, UserSort::DisplayName, UserSort::Newest, UserSort::Oldest];

    pub fn slug(self) -> &'static str {
        match self {
            UserSort::UserName => "user_name",
            UserSort::DisplayName => "display_name",
            UserSort::Newest => "newest",
            UserSort::Oldest => "oldest",
        }
    }

    pub fn parse(slug: &str) -> Option<UserSort> {
        UserSort::ALL.into_iter().find(|sort| sort.slug() == slug)
    }
}

/// Everything the user page shows (A6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDetail {
    pub id: String,
    pub user_name: String,
    pub display_name: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub emails: Vec<String>,
    pub active: bool,
    pub source: Source,
    pub external_id: Option<String>,
    /// When the IdP deleted the user (L3): suspended here until an admin deletes it.
    pub deleted_in_idp_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// Set when the user's IdP has Managed Apple IDs on (S2).
    pub managed_apple_id: Option<String>,
    /// The first [`UserDetail::GROUPS_SHOWN`] groups by name, of `group_count`.
    pub groups: Vec<GroupRef>,
    pub group_count: i64,
    pub attributes: Vec<AttributeValue>,
}

impl UserDetail {
    /// An IdP can put a user in thousands of groups; the page lists this many.
    pub const GROUPS_SHOWN: i64 = 100;
}

/// A link to a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct GroupRef {
    pub id: String,
    pub display_name: String,
}

/// One value on a user's Attributes tab; `None` for a custom attribute not yet sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeValue {
    /// "Core", "Enterprise" or "Custom".
    pub schema: String,
    pub name: String,
    pub value: Option<String>,
}

/// A user an admin creates in the portal (source Local).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewLocalUser {
    pub user_name: String,
    pub given_name: String,
    pub family_name: String,
    pub display_name: String,
    pub email: String,
}

/// A group row in the portal's User Groups list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct GroupSummary {
    pub id: String,
    pub display_name: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub source: Source,
    pub member_count: i64,
}

/// A group's page: the group; its members are paged separately.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct GroupDetail {
    pub id: String,
    pub display_name: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub source: Source,
    pub external_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub member_count: i64,
}

/// A custom attribute an admin defined for an IdP (A5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct CustomAttribute {
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub idp: Idp,
    pub name: String,
    pub created_at: String,
}

/// An IdP's settings on its User Provisioning page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct IdpSettings {
    /// S1: users newly provisioned by the IdP get a registration invitation by email.
    pub auto_invite: bool,
    /// S2 (Entra ID): each user gets a Managed Apple ID derived from its email address.
    pub managed_apple_id: bool,
    /// S2: ... at the "appleid" subdomain of the email's domain.
    pub appleid_subdomain: bool,
}

impl IdpSettings {
    /// For the audit trail: "auto-invite on, Managed Apple ID off".
    /// The audit trail's details for a save: each setting on or off.
    pub fn describe(&self, idp: crate::domain::idp::Idp) -> crate::domain::message::Message {
        let on = |value: bool| if value { "audit.details.on" } else { "audit.details.off" };
        let key = if self.managed_apple_id { "audit.details.settings_subdomain" } else { "audit.details.settings" };
        crate::msg!(key, idp = idp.vendor())
            .with_term("auto_invite", on(self.auto_invite))
            .with_term("apple_id", on(self.managed_apple_id))
            .with_term("subdomain", on(self.appleid_subdomain))
    }
}

/// M1: where the move from the legacy "Entra ID user source" to SCIM stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum MigrationState {
    /// The legacy source is in use and can import.
    NotStarted,
    /// SCIM is taking the legacy users over; the legacy source is read-only.
    UnderWay { since: String, by: String },
    /// The legacy source is retired (read-only for good).
    Finished { at: String },
}

/// The legacy source page: the migration and what the legacy source still holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegacyOverview {
    pub migration: MigrationState,
    /// Users and groups still from the legacy source (M2: after the sync, those the IdP did
    /// not send).
    pub users: i64,
    pub groups: i64,
}

/// What a CSV import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub imported: usize,
    pub groups_created: usize,
    /// Rows not imported, with their line in the file and why.
    pub skipped: Vec<(usize, crate::domain::message::Message)>,
}

/// A7: an email account profile pushed to devices; every field may hold `${variables}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailAccountProfile {
    pub email_address: String,
    pub display_name: String,
    pub account_user_name: String,
    pub incoming_server: String,
    pub outgoing_server: String,
}

impl EmailAccountProfile {
    /// Each field with its label's locale key, in form order.
    pub fn fields(&self) -> [(&'static str, &str); 5] {
        [
            ("configurations.email_address", &self.email_address),
            ("configurations.display_name", &self.display_name),
            ("configurations.account_user_name", &self.account_user_name),
            ("configurations.incoming_server", &self.incoming_server),
            ("configurations.outgoing_server", &self.outgoing_server),
        ]
    }
}

/// A saved configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Configuration {
    pub id: i64,
    pub name: String,
    pub profile: EmailAccountProfile,
    pub updated_at: String,
    pub updated_by: String,
}

/// One field of a configuration as a given user would receive it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewField {
    pub label: String,
    pub text: String,
    /// Variables this user has no value for (the field gets an empty string there).
    pub missing: Vec<String>,
}

/// A registration invitation (S1) as the provisioning page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct InvitationInfo {
    pub id: i64,
    pub user_id: String,
    pub user_name: String,
    pub email: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub status: InvitationStatus,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: String,
    pub sent_at: Option<String>,
    pub next_attempt_at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitationStatus {
    /// Waiting to be sent, or to be retried.
    Pending,
    Sent,
    /// Given up on; an admin can send it again.
    Failed,
}

impl TryFrom<String> for InvitationStatus {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        match value.as_str() {
            "pending" => Ok(InvitationStatus::Pending),
            "sent" => Ok(InvitationStatus::Sent),
            "failed" => Ok(InvitationStatus::Failed),
            _ => Err(format!("unknown invitation status `{value}`")),
        }
    }
}

/// An IdP's invitations: the latest page, how many there are of each status, and whether mail
/// can go out at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationOverview {
    pub mail_configured: bool,
    pub pending: i64,
    pub sent: i64,
    pub failed: i64,
    pub latest: Paged<InvitationInfo>,
}

/// What the User Provisioning page shows for one IdP.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdpOverview {
    pub idp: Idp,
    pub scim_base_url: String,
    pub tokens: Vec<TokenInfo>,
    pub connected_at: Option<String>,
    pub users: i64,
    pub groups: i64,
    /// When the IdP last sent a request (C2).
    pub last_activity: Option<String>,
    /// The IdP's latest refused or failed requests, newest first (C2).
    pub last_errors: Vec<ScimRequestEntry>,
}

/// One page of a longer list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub offset: i64,
    pub limit: i64,
}

/// One SCIM request as the provisioning log shows it; bodies are redacted and capped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ScimRequestEntry {
    pub id: i64,
    pub occurred_at: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub idp: Idp,
    pub token_id: Option<String>,
    pub method: String,
    pub path: String,
    pub status: u16,
    pub duration_ms: f64,
    pub resource_type: Option<String>,
    pub resource_id: Option<String>,
    pub scim_type: Option<String>,
    pub detail: Option<String>,
    pub request_body: Option<String>,
    pub response_body: Option<String>,
    /// The user's userName or the group's displayName, worked out when the log is read.
    pub resource_name: Option<String>,
    /// A 409 after which the IdP changed the resource it collided with (a read alone does not
    /// resolve it).
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub conflict_resolved: bool,
}

impl ScimRequestEntry {
    pub fn outcome(&self) -> crate::domain::request_outcome::Outcome {
        crate::domain::request_outcome::outcome(&self.path, self.status, self.conflict_resolved)
    }
}

/// Which requests the provisioning log lists; every field narrows, `None` means any.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScimRequestFilter {
    pub idp: Option<Idp>,
    pub outcome: Option<RequestOutcome>,
    pub method: Option<String>,
    /// `User` or `Group`.
    pub resource_type: Option<String>,
    /// The changes and errors about one user or group: its successful reads are not indexed
    /// by resource (`domain::request_outcome::is_successful_read`).
    pub resource_id: Option<String>,
    /// Inclusive lower and exclusive upper bounds on `occurred_at` (RFC 3339).
    pub since: Option<String>,
    pub until: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RequestOutcome {
    /// Status below 400.
    Succeeded,
    /// Status 400 or above.
    Failed,
    /// Exactly this status.
    Status(u16),
}

/// A page of the newest-first log; `next` continues it (keyset paging stays fast on a long
/// log, where an offset would scan everything it skips).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScimRequestPage {
    pub items: Vec<ScimRequestEntry>,
    pub next: Option<ScimRequestCursor>,
}

/// Where a page of the log ends: the last entry's time and id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScimRequestCursor {
    pub occurred_at: String,
    pub id: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_token_never_prints_its_secret() {
        let token = TokenInfo {
            id: "t1".into(),
            idp: Idp::Okta,
            secret_hint: "abcd".into(),
            active: true,
            created_at: "2026-11-22T00:00:00.000Z".into(),
            created_by: "ann".into(),
            renewed_at: None,
            last_used_at: None,
            expires_at: None,
            expires_in_seconds: None,
        };
        let shown = NewToken { token, secret: "prv_s3cr3t".into(), scim_base_url: "https://x/scim/v2/okta".into() };
        assert!(!format!("{shown:?}").contains("s3cr3t"));
    }
}
