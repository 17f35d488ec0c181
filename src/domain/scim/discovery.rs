//! Discovery (RFC 7643 §5-7, RFC 7644 §4): what this service provider supports, exactly.
//! The custom extension lists the custom attributes the admin defined for the calling IdP (A4).

use super::bulk::MAX_OPERATIONS;
use super::list::{DEFAULT_COUNT, MAX_COUNT};
use super::schema::{self, ResourceKind, SchemaId};
use super::{CUSTOM_USER_SCHEMA, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA};
use serde_json::{json, Value};

const SCHEMA_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";
const RESOURCE_TYPE_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
const SERVICE_PROVIDER_CONFIG_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";

pub fn service_provider_config(base: &str, max_payload_bytes: usize) -> Value {
    json!({
        "schemas": [SERVICE_PROVIDER_CONFIG_SCHEMA],
        "documentationUri": format!("{base}/ServiceProviderConfig"),
        "patch": {"supported": true},
        "bulk": {"supported": true, "maxOperations": MAX_OPERATIONS, "maxPayloadSize": max_payload_bytes},
        "filter": {"supported": true, "maxResults": MAX_COUNT},
        // RFC 9865: both paging methods, index by default.
        "pagination": {
            "cursor": true, "index": true, "defaultPaginationMethod": "index",
            "defaultPageSize": DEFAULT_COUNT, "maxPageSize": MAX_COUNT
        },
        "changePassword": {"supported": false},
        "sort": {"supported": true},
        "etag": {"supported": true},
        "authenticationSchemes": [{
            "type": "oauthbearertoken",
            "name": "OAuth Bearer Token",
            "description": "The token generated on Provisio's User Provisioning page, sent as `Authorization: Bearer <token>`.",
            "primary": true
        }],
        "meta": {"resourceType": "ServiceProviderConfig", "location": format!("{base}/ServiceProviderConfig")}
    })
}

pub fn resource_types(base: &str) -> Vec<Value> {
    vec![
        json!({
            "schemas": [RESOURCE_TYPE_SCHEMA],
            "id": "User", "name": "User", "endpoint": "/Users", "description": "User Account",
            "schema": USER_SCHEMA,
            "schemaExtensions": [
                {"schema": ENTERPRISE_USER_SCHEMA, "required": false},
                {"schema": CUSTOM_USER_SCHEMA, "required": false}
            ],
            "meta": {"resourceType": "ResourceType", "location": format!("{base}/ResourceTypes/User")}
        }),
        json!({
            "schemas": [RESOURCE_TYPE_SCHEMA],
            "id": "Group", "name": "Group", "endpoint": "/Groups", "description": "Group",
            "schema": GROUP_SCHEMA,
            "meta": {"resourceType": "ResourceType", "location": format!("{base}/ResourceTypes/Group")}
        }),
    ]
}

/// The schemas, rendered from [`schema`]; the custom extension lists `custom_attributes`, the
/// attributes the admin defined for the calling IdP (A4). The common attributes `id`, `meta` and
/// `schemas` belong to every resource and are not listed (RFC 7643 §3.1, §8.7.1).
pub fn schemas(base: &str, custom_attributes: &[String]) -> Vec<Value> {
    let listed = |kind: ResourceKind, id: SchemaId| -> Vec<Value> {
        let attributes = schema::attributes(kind, id).iter().filter(|a| !["id", "meta", "schemas"].iter().any(|c| a.is(c)));
        attributes.map(|attribute| attribute.to_json(attribute.name)).collect()
    };
    let custom = custom_attributes.iter().map(|name| schema::custom::attribute().to_json(name)).collect();
    vec![
        render(base, USER_SCHEMA, "User", "User Account", listed(ResourceKind::User, SchemaId::Core)),
        render(base, GROUP_SCHEMA, "Group", "Group", listed(ResourceKind::Group, SchemaId::Core)),
        render(base, ENTERPRISE_USER_SCHEMA, "EnterpriseUser", "Enterprise User", listed(ResourceKind::User, SchemaId::Enterprise)),
        render(base, CUSTOM_USER_SCHEMA, "IvantiUser", "Custom user attributes defined in Provisio", custom),
    ]
}

fn render(base: &str, id: &str, name: &str, description: &str, attributes: Vec<Value>) -> Value {
    json!({
        "schemas": [SCHEMA_SCHEMA],
        "id": id,
        "name": name,
        "description": description,
        "attributes": attributes,
        "meta": {"resourceType": "Schema", "location": format!("{base}/Schemas/{id}")}
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_describe_the_supported_attributes_and_the_idps_custom_ones() {
        let all = schemas("http://x/scim/v2/entra", &["costCenter".into()]);
        let ids: Vec<&str> = all.iter().map(|s| s["id"].as_str().unwrap()).collect();
        assert_eq!(ids, [USER_SCHEMA, GROUP_SCHEMA, ENTERPRISE_USER_SCHEMA, CUSTOM_USER_SCHEMA]);
        let user_name = &all[0]["attributes"].as_array().unwrap().iter().find(|a| a["name"] == "userName").unwrap();
        assert_eq!(user_name["caseExact"], false);
        assert_eq!(user_name["uniqueness"], "server");
        let enterprise: Vec<&str> = all[2]["attributes"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
        assert!(enterprise.contains(&"department") && enterprise.contains(&"manager"), "{enterprise:?}");
        let password = all[0]["attributes"].as_array().unwrap().iter().find(|a| a["name"] == "password").unwrap();
        assert_eq!((&password["returned"], &password["mutability"]), (&json!("never"), &json!("writeOnly")));
        assert!(all[0]["attributes"].as_array().unwrap().iter().all(|a| a["name"] != "id" && a["name"] != "meta"));
        // Suites (scim2-tester) fill in what is required: an email address is (A10).
        let emails = all[0]["attributes"].as_array().unwrap().iter().find(|a| a["name"] == "emails").unwrap();
        assert_eq!((&emails["required"], &emails["subAttributes"][0]["required"]), (&json!(true), &json!(true)));
        assert_eq!(all[3]["attributes"][0]["name"], "costCenter");
        assert_eq!(all[3]["meta"]["location"], format!("http://x/scim/v2/entra/Schemas/{CUSTOM_USER_SCHEMA}"));
    }

    #[test]
    fn the_config_advertises_what_is_enforced() {
        let config = service_provider_config("http://x", 1024);
        assert_eq!(config["patch"]["supported"], true);
        assert_eq!(config["filter"]["maxResults"], MAX_COUNT);
        assert_eq!(config["bulk"]["maxPayloadSize"], 1024);
    }
}
