//! The SCIM 2.0 service provider: `/scim/v2/entra` and `/scim/v2/okta`.

pub mod auth;
mod body;
mod bulk;
mod discovery;
mod groups;
pub mod journal;
mod path;
mod preconditions;
mod query;
pub mod rate_limit;
mod resources;
pub mod response;
mod users;
mod write;

use crate::domain::{idp::Idp, scim::ScimError};
use crate::server::state::AppState;
use axum::extract::DefaultBodyLimit;
use axum::routing::{any, get, post};
use axum::{middleware, Router};

/// Every IdP gets the same routes under its own base URL, behind its own tokens.
pub fn router(state: AppState) -> Router<AppState> {
    let mut router = Router::new();
    for idp in Idp::ALL {
        let routes = resource_routes()
            .route_layer(middleware::from_fn_with_state(state.scim_rate_limiter.clone(), rate_limit::limit))
            .route_layer(middleware::from_fn_with_state((state.clone(), idp), auth::require_token))
            .route_layer(middleware::from_fn_with_state((state.clone(), idp), journal::record));
        router = router.nest(&format!("/v2/{}", idp.slug()), routes);
    }
    router.fallback(not_found)
}

fn resource_routes() -> Router<AppState> {
    Router::new()
        .route("/Users", get(resources::list_users).post(users::create))
        .route("/Users/{id}", get(resources::get_user).put(users::replace).patch(users::patch).delete(users::delete))
        .route("/.search", post(resources::search_all))
        .route("/Bulk", post(bulk::run))
        .route("/Users/.search", post(resources::search_users))
        .route("/Groups", get(resources::list_groups).post(groups::create))
        .route("/Groups/.search", post(resources::search_groups))
        .route("/Groups/{id}", get(resources::get_group).put(groups::replace).patch(groups::patch).delete(groups::delete))
        .route("/ServiceProviderConfig", get(discovery::service_provider_config))
        .route("/ResourceTypes", get(discovery::resource_types))
        .route("/ResourceTypes/{id}", get(discovery::resource_type))
        .route("/Schemas", get(discovery::schemas))
        .route("/Schemas/{id}", get(discovery::schema))
        .route("/Me", any(me))
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(body::MAX_PAYLOAD_BYTES))
}

async fn not_found() -> ScimError {
    ScimError::not_found("No SCIM endpoint at this path. SCIM base URLs are /scim/v2/entra and /scim/v2/okta.")
}

async fn method_not_allowed() -> ScimError {
    ScimError::method_not_allowed("This endpoint does not support that HTTP method.")
}

/// Tokens belong to an IdP, not to a user: there is no "me" (RFC 7644 §3.11).
async fn me() -> ScimError {
    ScimError::not_implemented("/Me is not supported: SCIM tokens belong to an identity provider, not to a user.")
}

/// SCIM endpoint names in their canonical case. Clients disagree on case (Microsoft's
/// reference collection asks for `/users`), so routing sees the canonical spelling.
const ENDPOINTS: [&str; 7] = ["Users", "Groups", "Schemas", "ResourceTypes", "ServiceProviderConfig", "Me", "Bulk"];

/// Rewrites `/scim/v2/{idp}/users...` to `/scim/v2/{idp}/Users...`; `None` when nothing changes.
pub fn canonical_path(path: &str) -> Option<String> {
    let rest = path.strip_prefix("/scim/v2/")?;
    let (idp, rest) = rest.split_once('/')?;
    let (endpoint, tail) = rest.split_once('/').map_or((rest, None), |(e, t)| (e, Some(t)));
    // Microsoft's reference server answered its config at `serviceConfiguration`.
    let endpoint = if endpoint.eq_ignore_ascii_case("serviceConfiguration") { "serviceproviderconfig" } else { endpoint };
    let canonical = ENDPOINTS.iter().find(|e| e.eq_ignore_ascii_case(endpoint) && **e != endpoint)?;
    Some(match tail {
        Some(tail) => format!("/scim/v2/{idp}/{canonical}/{tail}"),
        None => format!("/scim/v2/{idp}/{canonical}"),
    })
}

#[cfg(test)]
mod tests {
    use super::canonical_path;

    #[test]
    fn endpoint_names_are_matched_without_regard_to_case() {
        assert_eq!(canonical_path("/scim/v2/okta/users"), Some("/scim/v2/okta/Users".into()));
        assert_eq!(canonical_path("/scim/v2/entra/GROUPS/abc"), Some("/scim/v2/entra/Groups/abc".into()));
        assert_eq!(canonical_path("/scim/v2/entra/Users"), None);
        assert_eq!(canonical_path("/scim/v2/entra/widgets"), None);
        assert_eq!(canonical_path("/users"), None);
    }
}
