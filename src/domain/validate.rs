//! Input rules for portal forms, shared by the browser (early feedback) and the server (the
//! authority).

pub const USERNAME_MAX: usize = 64;
pub const PASSWORD_MIN: usize = 12;
pub const PASSWORD_MAX: usize = 256;

/// An admin username: 1-64 characters of letters, digits, `.`, `_`, `-`, `@`.
pub fn admin_username(raw: &str) -> Result<String, String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err("Enter a username.".into());
    }
    if name.chars().count() > USERNAME_MAX {
        return Err(format!("A username has at most {USERNAME_MAX} characters."));
    }
    if !name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
    {
        return Err("A username may contain only letters, digits and . _ - @".into());
    }
    Ok(name.to_owned())
}

/// A new admin password: long enough to resist guessing, short enough to hash cheaply.
pub fn new_password(password: &str) -> Result<(), String> {
    let len = password.chars().count();
    if len < PASSWORD_MIN {
        return Err(format!("A password needs at least {PASSWORD_MIN} characters."));
    }
    if len > PASSWORD_MAX {
        return Err(format!("A password has at most {PASSWORD_MAX} characters."));
    }
    Ok(())
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
}
