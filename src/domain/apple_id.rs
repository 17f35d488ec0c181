//! Managed Apple IDs (S2): derived from a user's email address when the IdP's setting is on.

/// `ann@example.com`, or `ann@appleid.example.com` with the "appleid" subdomain, which keeps
/// Managed Apple IDs apart from personal Apple IDs already registered on the domain.
pub fn managed_apple_id(email: &str, appleid_subdomain: bool) -> Option<String> {
    let (local, domain) = email.trim().rsplit_once('@')?;
    if local.is_empty() || domain.is_empty() {
        return None;
    }
    Some(if appleid_subdomain { format!("{local}@appleid.{domain}") } else { format!("{local}@{domain}") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_subdomain_goes_between_the_at_sign_and_the_domain() {
        assert_eq!(managed_apple_id("ann@example.com", false).as_deref(), Some("ann@example.com"));
        assert_eq!(managed_apple_id("ann@example.com", true).as_deref(), Some("ann@appleid.example.com"));
        assert_eq!(managed_apple_id("not-an-address", true), None);
        assert_eq!(managed_apple_id("@example.com", true), None);
    }
}
