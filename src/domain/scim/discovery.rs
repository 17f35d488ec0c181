//! Discovery (RFC 7643 §5-7, RFC 7644 §4): what this service provider supports, exactly.
//! The custom extension lists the custom attributes the admin defined for the calling IdP (A4).

use super::bulk::MAX_OPERATIONS;
use super::list::{DEFAULT_COUNT, MAX_COUNT};
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

/// The schemas, with the custom extension built from `custom_attributes`.
pub fn schemas(base: &str, custom_attributes: &[String]) -> Vec<Value> {
    let user = vec![
        attr("userName", "string")
            .required()
            .case_insensitive()
            .unique()
            .mutability("immutable")
            .describe("Unique identifier for the user; cannot change once provisioned."),
        attr("name", "complex")
            .required()
            .sub(vec![
                attr("formatted", "string").describe("The full name."),
                attr("familyName", "string").required().describe("The family (last) name; required, never blank."),
                attr("givenName", "string").required().describe("The given (first) name; required, never blank."),
            ])
            .describe("The user's name (A9: first and last name are required)."),
        attr("displayName", "string").describe("The name shown for the user."),
        attr("userType", "string").describe("The user's relation to the organisation."),
        attr("locale", "string").describe("The user's default location, e.g. en-US."),
        attr("active", "boolean").describe("false suspends the user; true restores it."),
        attr("emails", "complex")
            .multi()
            .required()
            .sub(vec![
                attr("value", "string").required().describe("The email address; at least one is required."),
                attr("type", "string").canonical(&["work", "home", "other"]).describe("work, home or other."),
                attr("primary", "boolean").describe("The preferred address."),
                attr("display", "string").describe("A display form of the address."),
            ])
            .describe("Email addresses; at least one is required."),
    ];
    let group = vec![
        attr("displayName", "string").required().case_insensitive().unique().describe("The group's name, unique across every source."),
        attr("members", "complex")
            .multi()
            .sub(vec![
                attr("value", "string").mutability("immutable").describe("The member's user id."),
                attr("display", "string").mutability("readOnly").describe("The member's userName."),
                attr("type", "string")
                    .canonical(&["User"])
                    .mutability("immutable")
                    .describe("Always User: groups hold only direct user members."),
                attr("$ref", "reference").mutability("immutable").describe("The member's URI."),
            ])
            .returned("default")
            .describe("The group's direct members."),
    ];
    let enterprise = vec![attr("department", "string").describe("The user's department (the only enterprise attribute supported).")];
    let custom: Vec<Attr> =
        custom_attributes.iter().map(|name| attr(name, "string").describe("A custom attribute defined in Provisio.")).collect();

    vec![
        schema(base, USER_SCHEMA, "User", "User Account", with_common(user)),
        schema(base, GROUP_SCHEMA, "Group", "Group", with_common(group)),
        schema(base, ENTERPRISE_USER_SCHEMA, "EnterpriseUser", "Enterprise User", enterprise),
        schema(base, CUSTOM_USER_SCHEMA, "IvantiUser", "Custom user attributes defined in Provisio", custom),
    ]
}

fn with_common(mut attributes: Vec<Attr>) -> Vec<Attr> {
    attributes.insert(0, attr("externalId", "string").case_exact().describe("The identifier the identity provider uses."));
    attributes
}

fn schema(base: &str, id: &str, name: &str, description: &str, attributes: Vec<Attr>) -> Value {
    json!({
        "schemas": [SCHEMA_SCHEMA],
        "id": id,
        "name": name,
        "description": description,
        "attributes": attributes.into_iter().map(Attr::into_json).collect::<Vec<_>>(),
        "meta": {"resourceType": "Schema", "location": format!("{base}/Schemas/{id}")}
    })
}

/// An attribute definition, RFC 7643 §7, with the RFC's defaults.
struct Attr(Value);

fn attr(name: &str, kind: &str) -> Attr {
    let mut value = json!({
        "name": name, "type": kind, "multiValued": false, "description": "", "required": false,
        "mutability": "readWrite", "returned": "default"
    });
    if kind == "string" || kind == "reference" {
        value["caseExact"] = false.into();
        value["uniqueness"] = "none".into();
    }
    if kind == "reference" {
        value["referenceTypes"] = json!(["User"]);
    }
    Attr(value)
}

impl Attr {
    fn set(mut self, key: &str, value: Value) -> Self {
        self.0[key] = value;
        self
    }
    fn describe(self, text: &str) -> Self {
        self.set("description", text.into())
    }
    fn required(self) -> Self {
        self.set("required", true.into())
    }
    fn multi(self) -> Self {
        self.set("multiValued", true.into())
    }
    fn case_insensitive(self) -> Self {
        self.set("caseExact", false.into())
    }
    fn case_exact(self) -> Self {
        self.set("caseExact", true.into())
    }
    fn unique(self) -> Self {
        self.set("uniqueness", "server".into())
    }
    fn mutability(self, m: &str) -> Self {
        self.set("mutability", m.into())
    }
    fn returned(self, r: &str) -> Self {
        self.set("returned", r.into())
    }
    fn canonical(self, values: &[&str]) -> Self {
        self.set("canonicalValues", json!(values))
    }
    fn sub(self, attributes: Vec<Attr>) -> Self {
        self.set("subAttributes", Value::Array(attributes.into_iter().map(Attr::into_json).collect()))
    }
    fn into_json(self) -> Value {
        self.0
    }
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
        assert_eq!(all[2]["attributes"].as_array().unwrap().len(), 1, "department only");
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
