//! The SCIM 2.0 service provider: `/scim/v2/entra` and `/scim/v2/okta`.

pub mod auth;
mod body;
mod groups;
mod query;
mod resources;
pub mod response;
mod users;

use crate::domain::{idp::Idp, scim::ScimError};
use crate::server::state::AppState;
use axum::{middleware, routing::get, Router};
use axum::extract::DefaultBodyLimit;

/// Every IdP gets the same routes under its own base URL, behind its own tokens.
pub fn router(state: AppState) -> Router<AppState> {
    let mut router = Router::new();
    for idp in Idp::ALL {
        let routes = resource_routes().route_layer(middleware::from_fn_with_state((state.clone(), idp), auth::require_token));
        router = router.nest(&format!("/v2/{}", idp.slug()), routes);
    }
    router.fallback(not_found)
}

fn resource_routes() -> Router<AppState> {
    Router::new()
        .route("/Users", get(resources::list_users).post(users::create))
        .route("/Users/{id}", get(resources::get_user).put(users::replace).patch(users::patch).delete(users::delete))
        .route("/Groups", get(resources::list_groups).post(groups::create))
        .route("/Groups/{id}", get(resources::get_group).put(groups::replace).patch(groups::patch).delete(groups::delete))
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(body::MAX_PAYLOAD_BYTES))
}

async fn not_found() -> ScimError {
    ScimError::not_found("No SCIM endpoint at this path. SCIM base URLs are /scim/v2/entra and /scim/v2/okta.")
}

async fn method_not_allowed() -> ScimError {
    ScimError::method_not_allowed("This endpoint does not support that HTTP method.")
}
