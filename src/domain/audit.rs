//! What the audit trail records (T5). The English label is what is stored (stable, searchable
//! data); the portal shows each event in the page's language by its locale key.

/// One row per kind of event: (event, stored label, locale key).
const EVENTS: [(Action, &str, &str); 21] = [
    (Action::TokenCreated, "SCIM token created", "audit.action.token_created"),
    (Action::TokenActivated, "SCIM token activated", "audit.action.token_activated"),
    (Action::TokenDeactivated, "SCIM token deactivated", "audit.action.token_deactivated"),
    (Action::TokenRenewed, "SCIM token renewed", "audit.action.token_renewed"),
    (Action::TokenDeleted, "SCIM token deleted", "audit.action.token_deleted"),
    (Action::AdminCreated, "Administrator created", "audit.action.admin_created"),
    (Action::SettingsChanged, "Provisioning settings changed", "audit.action.settings_changed"),
    (Action::CustomAttributeAdded, "Custom attribute added", "audit.action.custom_attribute_added"),
    (Action::CustomAttributeDeleted, "Custom attribute deleted", "audit.action.custom_attribute_deleted"),
    (Action::UserCreated, "User created", "audit.action.user_created"),
    (Action::UserSuspended, "User suspended", "audit.action.user_suspended"),
    (Action::UserRestored, "User restored", "audit.action.user_restored"),
    (Action::UserDeleted, "User deleted", "audit.action.user_deleted"),
    (Action::GroupDeleted, "User group deleted", "audit.action.group_deleted"),
    (Action::InvitationResent, "Invitation sent again", "audit.action.invitation_resent"),
    (Action::ConfigurationSaved, "Configuration saved", "audit.action.configuration_saved"),
    (Action::ConfigurationDeleted, "Configuration deleted", "audit.action.configuration_deleted"),
    (Action::LegacyImported, "Legacy users imported", "audit.action.legacy_imported"),
    (Action::MigrationStarted, "Migration to SCIM started", "audit.action.migration_started"),
    (Action::MigrationFinished, "Migration to SCIM finished", "audit.action.migration_finished"),
    (Action::LeftoversDeleted, "Legacy leftovers deleted", "audit.action.leftovers_deleted"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    TokenCreated,
    TokenActivated,
    TokenDeactivated,
    TokenRenewed,
    TokenDeleted,
    AdminCreated,
    SettingsChanged,
    CustomAttributeAdded,
    CustomAttributeDeleted,
    UserCreated,
    UserSuspended,
    UserRestored,
    UserDeleted,
    GroupDeleted,
    InvitationResent,
    ConfigurationSaved,
    ConfigurationDeleted,
    LegacyImported,
    MigrationStarted,
    MigrationFinished,
    LeftoversDeleted,
}

impl Action {
    /// Every kind of event, in the trail's order of concerns (tokens first).
    pub fn all() -> impl Iterator<Item = Action> {
        EVENTS.iter().map(|(action, _, _)| *action)
    }

    /// The stored label, e.g. "SCIM token created".
    pub fn label(self) -> &'static str {
        Self::row(self).1
    }

    /// The locale key of its name in the portal.
    pub fn key(self) -> &'static str {
        Self::row(self).2
    }

    /// The event a stored label stands for.
    pub fn from_label(label: &str) -> Option<Action> {
        EVENTS.iter().find(|(_, stored, _)| *stored == label).map(|(action, _, _)| *action)
    }

    fn row(self) -> &'static (Action, &'static str, &'static str) {
        EVENTS.iter().find(|(action, _, _)| *action == self).expect("every action has a row in EVENTS")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_event_has_one_row_with_its_own_label_and_key() {
        for (index, (action, label, key)) in EVENTS.iter().enumerate() {
            assert_eq!(EVENTS.iter().position(|(a, _, _)| a == action), Some(index), "{action:?} twice");
            assert_eq!(Action::from_label(label), Some(*action));
            assert_eq!(action.key(), *key);
            assert_eq!(EVENTS.iter().filter(|(_, _, k)| k == key).count(), 1, "{key} twice");
        }
        assert_eq!(Action::from_label("SCIM token created"), Some(Action::TokenCreated));
        assert_eq!(Action::from_label("something else"), None);
    }
}
