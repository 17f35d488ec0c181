//! Bulk (RFC 7644 §3.7): reading a BulkRequest, resolving `bulkId:` references, and the
//! BulkResponse. Running each operation is the server's job; it reuses the ordinary handlers.

use super::{ScimError, ScimType};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

pub const BULK_REQUEST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
pub const BULK_RESPONSE_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";
/// The most operations one request may carry, advertised as `bulk.maxOperations`.
pub const MAX_OPERATIONS: usize = 1000;

const REFERENCE_PREFIX: &str = "bulkId:";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    Users,
    Groups,
}

impl Endpoint {
    pub fn as_str(self) -> &'static str {
        match self {
            Endpoint::Users => "Users",
            Endpoint::Groups => "Groups",
        }
    }
}

/// One operation as sent; `path` and `data` may still hold `bulkId:` references.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub method: Method,
    pub bulk_id: Option<String>,
    /// The ETag the client expects (`If-Match`).
    pub version: Option<String>,
    pub path: String,
    pub data: Option<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BulkRequest {
    /// Stop after this many errors; `None`: run every operation.
    pub fail_on_errors: Option<u64>,
    pub operations: Vec<Operation>,
}

/// Reads a BulkRequest; a malformed request or operation fails the whole request, before
/// anything runs.
pub fn parse_request(body: &Value) -> Result<BulkRequest, ScimError> {
    let invalid = |detail: String| ScimError::bad_request(ScimType::InvalidSyntax, detail);
    let object = body.as_object().ok_or_else(|| invalid("A BulkRequest must be a JSON object.".into()))?;
    let field = |name: &str| object.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value);
    let fail_on_errors = match field("failOnErrors") {
        None | Some(Value::Null) => None,
        Some(value) => Some(value.as_u64().filter(|n| *n > 0).ok_or_else(|| invalid("`failOnErrors` must be a positive integer.".into()))?),
    };
    let operations =
        field("Operations").and_then(Value::as_array).ok_or_else(|| invalid("A BulkRequest needs an `Operations` array.".into()))?;
    if operations.len() > MAX_OPERATIONS {
        return Err(ScimError::payload_too_large(format!(
            "A bulk request may carry at most {MAX_OPERATIONS} operations; this one has {}.",
            operations.len()
        )));
    }
    let operations = operations
        .iter()
        .enumerate()
        .map(|(index, operation)| parse_operation(operation).map_err(|detail| invalid(format!("Operation {}: {detail}", index + 1))))
        .collect::<Result<Vec<_>, _>>()?;
    let mut seen = HashMap::new();
    for operation in &operations {
        if let Some(bulk_id) = &operation.bulk_id {
            if seen.insert(bulk_id.as_str(), ()).is_some() {
                return Err(ScimError::bad_request(ScimType::InvalidValue, format!("The bulkId `{bulk_id}` is used twice.")));
            }
        }
    }
    Ok(BulkRequest { fail_on_errors, operations })
}

fn parse_operation(value: &Value) -> Result<Operation, String> {
    let object = value.as_object().ok_or("an operation must be a JSON object")?;
    let text = |name: &str| object.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).and_then(|(_, value)| value.as_str());
    let method = match text("method").map(str::to_ascii_uppercase).as_deref() {
        Some("POST") => Method::Post,
        Some("PUT") => Method::Put,
        Some("PATCH") => Method::Patch,
        Some("DELETE") => Method::Delete,
        Some(other) => return Err(format!("`{other}` is not a bulk method (POST, PUT, PATCH or DELETE)")),
        None => return Err("`method` is required".into()),
    };
    let path = text("path").ok_or("`path` is required")?.to_owned();
    let bulk_id = text("bulkId").map(str::to_owned);
    if method == Method::Post && bulk_id.is_none() {
        return Err("a POST needs a `bulkId`".into());
    }
    let data = object.iter().find(|(key, _)| key.eq_ignore_ascii_case("data")).map(|(_, value)| value.clone());
    if method != Method::Delete && !data.as_ref().is_some_and(Value::is_object) {
        return Err(format!("a {} needs a `data` object", method.as_str()));
    }
    Ok(Operation { method, bulk_id, version: text("version").map(str::to_owned), path, data })
}

/// Where an operation goes: `/Users` or `/Groups`, and the id for all but POST.
pub fn target(operation: &Operation) -> Result<(Endpoint, Option<String>), ScimError> {
    let invalid = || ScimError::bad_request(ScimType::InvalidPath, format!("`{}` is not a Users or Groups path.", operation.path));
    let mut segments = operation.path.trim_start_matches('/').split('/');
    let endpoint = match segments.next() {
        Some(name) if name.eq_ignore_ascii_case("Users") => Endpoint::Users,
        Some(name) if name.eq_ignore_ascii_case("Groups") => Endpoint::Groups,
        _ => return Err(invalid()),
    };
    let id = segments.next().filter(|id| !id.is_empty()).map(str::to_owned);
    if segments.next().is_some() || (operation.method == Method::Post) != id.is_none() {
        return Err(invalid());
    }
    Ok((endpoint, id))
}

/// The `bulkId`s an operation refers to, in `path` or anywhere in `data`.
pub fn references(operation: &Operation) -> Vec<String> {
    let mut found = Vec::new();
    collect_references(&Value::String(operation.path.clone()), &mut found);
    if let Some(data) = &operation.data {
        collect_references(data, &mut found);
    }
    found
}

fn collect_references(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::String(text) => {
            for part in text.split('/') {
                if let Some(bulk_id) = part.strip_prefix(REFERENCE_PREFIX) {
                    found.push(bulk_id.to_owned());
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_references(item, found)),
        Value::Object(map) => map.values().for_each(|item| collect_references(item, found)),
        _ => {}
    }
}

/// The operation with each `bulkId:x` replaced by the id the server gave `x`'s resource.
/// Every reference must be resolvable (see `references`).
pub fn resolve(operation: &Operation, ids: &HashMap<String, String>) -> Operation {
    let mut resolved = operation.clone();
    resolved.path = resolve_text(&operation.path, ids);
    if let Some(data) = resolved.data.as_mut() {
        resolve_value(data, ids);
    }
    resolved
}

fn resolve_text(text: &str, ids: &HashMap<String, String>) -> String {
    text.split('/')
        .map(|part| part.strip_prefix(REFERENCE_PREFIX).and_then(|bulk_id| ids.get(bulk_id)).map_or(part, String::as_str))
        .collect::<Vec<_>>()
        .join("/")
}

fn resolve_value(value: &mut Value, ids: &HashMap<String, String>) {
    match value {
        Value::String(text) if text.contains(REFERENCE_PREFIX) => *text = resolve_text(text, ids),
        Value::Array(items) => items.iter_mut().for_each(|item| resolve_value(item, ids)),
        Value::Object(map) => map.values_mut().for_each(|item| resolve_value(item, ids)),
        _ => {}
    }
}

/// What one operation did, as the BulkResponse reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub status: u16,
    pub location: Option<String>,
    pub version: Option<String>,
    pub error: Option<Value>,
}

pub fn response(results: &[(&Operation, Outcome)]) -> Value {
    let operations: Vec<Value> = results
        .iter()
        .map(|(operation, outcome)| {
            let mut entry = Map::new();
            entry.insert("method".into(), operation.method.as_str().into());
            if let Some(bulk_id) = &operation.bulk_id {
                entry.insert("bulkId".into(), bulk_id.clone().into());
            }
            if let Some(version) = &outcome.version {
                entry.insert("version".into(), version.clone().into());
            }
            if let Some(location) = &outcome.location {
                entry.insert("location".into(), location.clone().into());
            }
            entry.insert("status".into(), outcome.status.to_string().into());
            if let Some(error) = &outcome.error {
                entry.insert("response".into(), error.clone());
            }
            Value::Object(entry)
        })
        .collect();
    json!({"schemas": [BULK_RESPONSE_SCHEMA], "Operations": operations})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(operations: Value) -> Value {
        json!({"schemas": [BULK_REQUEST_SCHEMA], "Operations": operations})
    }

    #[test]
    fn operations_are_read_with_their_references() {
        let body = request(json!([
            {"method": "POST", "path": "/Users", "bulkId": "ada", "data": {"userName": "ada"}},
            {"method": "post", "path": "/Groups", "bulkId": "g", "data": {"displayName": "G", "members": [{"value": "bulkId:ada"}]}},
            {"method": "DELETE", "path": "/Users/bulkId:ada", "version": "W/\"2\""}
        ]));
        let parsed = parse_request(&body).unwrap();
        assert_eq!(parsed.fail_on_errors, None);
        assert_eq!(parsed.operations.len(), 3);
        assert_eq!(references(&parsed.operations[1]), ["ada"]);
        assert_eq!(references(&parsed.operations[2]), ["ada"]);
        assert_eq!(parsed.operations[2].version.as_deref(), Some("W/\"2\""));

        let ids = HashMap::from([("ada".to_owned(), "u1".to_owned())]);
        let group = resolve(&parsed.operations[1], &ids);
        assert_eq!(group.data.unwrap()["members"][0]["value"], "u1");
        assert_eq!(resolve(&parsed.operations[2], &ids).path, "/Users/u1");
        assert_eq!(target(&resolve(&parsed.operations[2], &ids)).unwrap(), (Endpoint::Users, Some("u1".into())));
    }

    #[test]
    fn malformed_requests_fail_before_anything_runs() {
        let status = |body: Value| parse_request(&body).unwrap_err().status;
        assert_eq!(status(json!({"schemas": [BULK_REQUEST_SCHEMA]})), 400);
        assert_eq!(status(request(json!([{"method": "GET", "path": "/Users"}]))), 400);
        assert_eq!(status(request(json!([{"method": "POST", "path": "/Users", "data": {}}]))), 400, "POST needs a bulkId");
        assert_eq!(status(request(json!([{"method": "PUT", "path": "/Users/1"}]))), 400, "PUT needs data");
        let twice = json!({"method": "POST", "path": "/Users", "bulkId": "a", "data": {}});
        assert_eq!(status(request(json!([twice.clone(), twice]))), 400);
        let many: Vec<Value> = (0..=MAX_OPERATIONS).map(|_| json!({"method": "DELETE", "path": "/Users/1"})).collect();
        assert_eq!(status(request(Value::Array(many))), 413);
        assert_eq!(status(json!({"failOnErrors": 0, "Operations": []})), 400);
    }

    #[test]
    fn targets_must_be_users_or_groups() {
        let op = |method, path: &str| Operation { method, bulk_id: None, version: None, path: path.into(), data: None };
        assert_eq!(target(&op(Method::Post, "/Groups")).unwrap(), (Endpoint::Groups, None));
        assert_eq!(target(&op(Method::Patch, "/Users/abc")).unwrap(), (Endpoint::Users, Some("abc".into())));
        assert!(target(&op(Method::Post, "/Users/abc")).is_err());
        assert!(target(&op(Method::Delete, "/Users")).is_err());
        assert!(target(&op(Method::Delete, "/Schemas/x")).is_err());
    }

    #[test]
    fn the_response_names_each_operation_with_a_string_status() {
        let op = Operation { method: Method::Post, bulk_id: Some("a".into()), version: None, path: "/Users".into(), data: None };
        let ok = Outcome { status: 201, location: Some("https://x/Users/1".into()), version: Some("W/\"1\"".into()), error: None };
        let failed = Outcome { status: 409, location: None, version: None, error: Some(json!({"status": "409"})) };
        let body = response(&[(&op, ok), (&op, failed)]);
        assert_eq!(
            body["Operations"][0],
            json!({"method": "POST", "bulkId": "a", "version": "W/\"1\"", "location": "https://x/Users/1", "status": "201"})
        );
        assert_eq!(body["Operations"][1]["response"]["status"], "409");
    }
}
