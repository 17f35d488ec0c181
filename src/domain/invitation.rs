//! S1's registration invitation: what it says, and how patiently it is retried.

use super::idp::Idp;
use std::time::Duration;

/// After this many failed attempts (about 13 hours of retries) an invitation is marked failed;
/// an admin can still send it again from the provisioning page.
pub const MAX_ATTEMPTS: u32 = 20;
const FIRST_RETRY: Duration = Duration::from_secs(30);
const LONGEST_WAIT: Duration = Duration::from_secs(3600);

/// How long to wait after the `attempts`-th failure: 30 s, doubling, at most an hour; `None`
/// when it is time to give up.
pub fn retry_after(attempts: u32) -> Option<Duration> {
    if attempts >= MAX_ATTEMPTS {
        return None;
    }
    let doubled = FIRST_RETRY.saturating_mul(1u32 << attempts.saturating_sub(1).min(16));
    Some(doubled.min(LONGEST_WAIT))
}

pub struct InvitationText {
    pub subject: String,
    pub body: String,
}

/// The message to a user `idp` provisioned.
pub fn text(idp: Idp, user_name: &str, display_name: Option<&str>, registration_url: &str) -> InvitationText {
    let greeting = display_name.filter(|name| !name.trim().is_empty()).unwrap_or(user_name);
    InvitationText {
        subject: "You are invited to register your devices".to_owned(),
        body: format!(
            "Hello {greeting},\n\n\
             Your {idp} account {user_name} has been added to your organization's device management.\n\
             Register to enroll your devices:\n\n\
             {registration_url}\n\n\
             Sign in as {user_name}. If you did not expect this message, you can ignore it.\n",
            idp = idp.display_name(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_to_an_hour_then_give_up() {
        assert_eq!(retry_after(1), Some(Duration::from_secs(30)));
        assert_eq!(retry_after(2), Some(Duration::from_secs(60)));
        assert_eq!(retry_after(7), Some(Duration::from_secs(1920)));
        assert_eq!(retry_after(8), Some(LONGEST_WAIT));
        assert_eq!(retry_after(MAX_ATTEMPTS - 1), Some(LONGEST_WAIT));
        assert_eq!(retry_after(MAX_ATTEMPTS), None);
        let total: u64 = (1..MAX_ATTEMPTS).filter_map(retry_after).map(|d| d.as_secs()).sum();
        assert!((12 * 3600..14 * 3600).contains(&total), "about 13 hours of retries, not {total} s");
    }

    #[test]
    fn the_message_names_the_user_and_the_link() {
        let text = text(Idp::Okta, "ann@example.com", Some("Ann Lee"), "https://mdm.example.com/register");
        assert!(text.body.starts_with("Hello Ann Lee,"));
        assert!(text.body.contains("Your Okta account ann@example.com"));
        assert!(text.body.contains("\nhttps://mdm.example.com/register\n"));
        assert!(super::text(Idp::Entra, "bo", Some(" "), "u").body.starts_with("Hello bo,"));
    }
}
