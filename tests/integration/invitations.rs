//! S1: users an IdP provisions with auto-invite on get one registration invitation, sent over
//! real SMTP (aiosmtpd) through a persisted outbox that survives a mail outage.

use crate::common::{okta_user, Scim, SmtpSink, TestApp};
use provisio::api::settings::{ListInvitations, SaveIdpSettings, SendInvitationAgain};
use provisio::domain::idp::Idp;
use provisio::models::{InvitationOverview, InvitationStatus};
use serde_json::json;

async fn app_mailing_to(port: u16) -> Scim {
    let app = TestApp::spawn_with(|config| {
        config.smtp = Some(SmtpSink::config(port));
        config.registration_url = Some("https://mdm.example.com/register".parse().unwrap());
    })
    .await;
    let scim = Scim::on(app).await;
    scim.app.set_up_admin("ann", "correct horse battery staple").await;
    scim
}

async fn auto_invite(scim: &Scim, idp: &str, on: bool) {
    let settings = json!({"idp": idp, "settings": {"auto_invite": on, "managed_apple_id": false, "appleid_subdomain": false}});
    assert!(scim.app.call_json::<SaveIdpSettings>(&settings).await.status().is_success());
}

async fn invitations(scim: &Scim, idp: &str) -> InvitationOverview {
    scim.app.call::<ListInvitations>(&[("idp", idp), ("offset", "0")]).await.json().await.unwrap()
}

/// Waits until the outbox has no invitation waiting for its first attempt.
async fn settled(scim: &Scim, idp: &str) -> InvitationOverview {
    for _ in 0..100 {
        let overview = invitations(scim, idp).await;
        if overview.latest.items.iter().all(|i| i.attempts > 0) {
            return overview;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("invitations were not attempted");
}

#[tokio::test]
async fn each_user_provisioned_with_auto_invite_on_gets_one_invitation_over_smtp() {
    let sink = SmtpSink::start().await;
    let scim = app_mailing_to(sink.port).await;
    scim.created(Idp::Okta, &okta_user("before@example.com")).await;
    auto_invite(&scim, "okta", true).await;
    let mut ann = okta_user("ann@example.com");
    ann["displayName"] = json!("Ann Lee");
    let id = scim.created(Idp::Okta, &ann).await["id"].as_str().unwrap().to_owned();
    scim.created(Idp::Entra, &okta_user("entra@example.com")).await;

    let messages = sink.received(1).await;
    assert_eq!(messages.len(), 1, "only Okta's new user: auto-invite is per IdP, and not retroactive");
    let message = &messages[0];
    assert!(message.contains("To: \"Ann Lee\" <ann@example.com>"), "{message}");
    assert!(message.contains("From: Provisio <provisio@example.com>"));
    assert!(message.contains("Subject: You are invited to register your devices"));
    assert!(message.contains("Your Okta account ann@example.com"));
    assert!(message.contains("https://mdm.example.com/register"));

    let overview = settled(&scim, "okta").await;
    assert!(overview.mail_configured);
    assert_eq!((overview.sent, overview.pending, overview.failed), (1, 0, 0));
    assert_eq!(overview.latest.items[0].status, InvitationStatus::Sent);
    assert!(overview.latest.items[0].sent_at.is_some());

    // Once per user: deleted by the IdP and provisioned again, the user is not invited twice.
    assert_eq!(scim.send(Idp::Okta, reqwest::Method::DELETE, &format!("/Users/{id}"), None).await.status(), 204);
    scim.created(Idp::Okta, &ann).await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(sink.received(2).await.len(), 1);
}

#[tokio::test]
async fn a_mail_outage_delays_an_invitation_without_losing_it() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let scim = app_mailing_to(port).await;
    auto_invite(&scim, "okta", true).await;
    scim.created(Idp::Okta, &okta_user("bo@example.com")).await;

    let waiting = settled(&scim, "okta").await;
    let invitation = &waiting.latest.items[0];
    assert_eq!((invitation.status, invitation.attempts), (InvitationStatus::Pending, 1));
    assert!(invitation.last_error.as_deref().is_some_and(|e| !e.is_empty()), "the error is kept for the admin");
    assert!(invitation.next_attempt_at > invitation.created_at, "retried later");

    // The mail server comes back; the admin need not wait for the next retry.
    let sink = SmtpSink::start_on(port).await;
    let id = invitation.id.to_string();
    assert!(scim.app.call::<SendInvitationAgain>(&[("idp", "okta"), ("id", &id)]).await.status().is_success());
    let messages = sink.received(1).await;
    assert_eq!(messages.len(), 1);
    assert!(messages[0].contains("To: \"Test User\" <bo@example.com>"), "{}", messages[0]);
    let audit: Vec<(String, String)> = scim.sql("SELECT action, target FROM audit_events WHERE action = 'Invitation sent again'").await;
    assert_eq!(audit, [("Invitation sent again".to_owned(), "bo@example.com".to_owned())]);
}

#[tokio::test]
async fn without_a_mail_server_invitations_wait_and_the_portal_says_why() {
    let scim = Scim::new().await;
    scim.app.set_up_admin("ann", "correct horse battery staple").await;
    auto_invite(&scim, "entra", true).await;
    scim.created(Idp::Entra, &okta_user("cy@example.com")).await;
    let overview = invitations(&scim, "entra").await;
    assert!(!overview.mail_configured);
    assert_eq!((overview.pending, overview.latest.items[0].attempts), (1, 0));
}
