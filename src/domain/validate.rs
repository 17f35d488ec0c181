//! Input rules for portal forms, shared by the browser (early feedback) and the server (the
//! authority).

use crate::domain::message::Message;
use crate::msg;

pub const USERNAME_MAX: usize = 64;
pub const PASSWORD_MIN: usize = 12;
pub const PASSWORD_MAX: usize = 256;

/// An admin username: 1-64 characters of letters, digits, `.`, `_`, `-`, `@`.
pub fn admin_username(raw: &str) -> Result<String, Message> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(msg!("messages.username_empty"));
    }
    if name.chars().count() > USERNAME_MAX {
        return Err(msg!("messages.username_too_long", max = USERNAME_MAX));
    }
    if !name.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@')) {
        return Err(msg!("messages.username_characters"));
    }
    Ok(name.to_owned())
}

/// A new admin password: long enough to resist guessing, short enough to hash cheaply.
pub fn new_password(password: &str) -> Result<(), Message> {
    let len = password.chars().count();
    if len < PASSWORD_MIN {
        return Err(msg!("messages.password_too_short", min = PASSWORD_MIN));
    }
    if len > PASSWORD_MAX {
        return Err(msg!("messages.password_too_long", max = PASSWORD_MAX));
    }
    Ok(())
}

pub const USER_FIELD_MAX: usize = 256;

/// A local user from the portal form, as the SCIM User document it is stored as (so a later
/// takeover by an IdP, P5, finds the same shape), with the rules SCIM applies (A9, A10) worded
/// for the form.
pub fn local_user(new: &crate::models::NewLocalUser) -> Result<serde_json::Value, Message> {
    let field = |value: &str, label: &str| -> Result<String, Message> {
        let value = value.trim();
        if value.is_empty() {
            return Err(msg!("messages.field_empty").with_term("field", label));
        }
        if value.chars().count() > USER_FIELD_MAX {
            return Err(msg!("messages.field_too_long", max = USER_FIELD_MAX).with_term("field", label));
        }
        Ok(value.to_owned())
    };
    let user_name = field(&new.user_name, "messages.field.user_name")?;
    let given_name = field(&new.given_name, "messages.field.given_name")?;
    let family_name = field(&new.family_name, "messages.field.family_name")?;
    let email = field(&new.email, "messages.field.email")?;
    match email.split_once('@') {
        Some((local, domain)) if !local.is_empty() && domain.contains('.') && !domain.contains('@') && !email.contains(' ') => {}
        _ => return Err(msg!("messages.not_an_email", email = email)),
    }
    let display_name = match new.display_name.trim() {
        "" => format!("{given_name} {family_name}"),
        _ => field(&new.display_name, "messages.field.display_name")?,
    };
    Ok(serde_json::json!({
        "schemas": [crate::domain::scim::USER_SCHEMA],
        "userName": user_name,
        "name": { "givenName": given_name, "familyName": family_name, "formatted": format!("{given_name} {family_name}") },
        "displayName": display_name,
        "emails": [{ "value": email, "type": "work", "primary": true }],
        "active": true
    }))
}

pub const ATTRIBUTE_NAME_MAX: usize = 64;

/// A custom attribute name (S3): a SCIM attribute name (RFC 7643 §2.1: a letter, then letters,
/// digits, `-` or `_`), so IdPs can map it as `urn:...:ivanti:2.0:User:<name>`.
pub fn custom_attribute_name(raw: &str) -> Result<String, Message> {
    let name = raw.trim();
    let mut chars = name.chars();
    match chars.next() {
        None => return Err(msg!("messages.attribute_name_empty")),
        Some(first) if !first.is_ascii_alphabetic() => return Err(msg!("messages.attribute_name_start")),
        _ => {}
    }
    if name.len() > ATTRIBUTE_NAME_MAX {
        return Err(msg!("messages.attribute_name_too_long", max = ATTRIBUTE_NAME_MAX));
    }
    if !chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_')) {
        return Err(msg!("messages.attribute_name_characters"));
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_trimmed_and_checked() {
        assert_eq!(admin_username("  ann.admin ").unwrap(), "ann.admin");
        assert!(admin_username("").is_err());
        assert!(admin_username("ann admin").is_err());
        assert!(admin_username("<script>").is_err());
        assert!(admin_username(&"a".repeat(65)).is_err());
    }

    #[test]
    fn passwords_have_a_minimum_and_maximum_length() {
        assert!(new_password("short").is_err());
        assert!(new_password("correct horse battery").is_ok());
        assert!(new_password(&"x".repeat(257)).is_err());
    }

    #[test]
    fn custom_attribute_names_are_scim_attribute_names() {
        assert_eq!(custom_attribute_name(" costCenter ").as_deref(), Ok("costCenter"));
        assert_eq!(custom_attribute_name("badge_no-2").as_deref(), Ok("badge_no-2"));
        assert!(custom_attribute_name("").is_err());
        assert!(custom_attribute_name("2fa").is_err());
        assert!(custom_attribute_name("cost center").is_err());
        assert!(custom_attribute_name("coût").is_err());
        assert!(custom_attribute_name(&"a".repeat(65)).is_err());
    }

    #[test]
    fn a_local_user_needs_names_and_an_email() {
        let new = crate::models::NewLocalUser {
            user_name: " ann@example.com ".into(),
            given_name: "Ann".into(),
            family_name: "Lee".into(),
            display_name: "".into(),
            email: "ann@example.com".into(),
        };
        let document = local_user(&new).unwrap();
        assert_eq!(document["userName"], "ann@example.com");
        assert_eq!(document["displayName"], "Ann Lee");
        assert_eq!(document["emails"][0]["value"], "ann@example.com");
        assert_eq!(
            local_user(&crate::models::NewLocalUser { family_name: " ".into(), ..new.clone() }).unwrap_err().to_string(),
            "Enter the last name."
        );
        assert!(local_user(&crate::models::NewLocalUser { email: "ann".into(), ..new }).is_err());
    }
}
