-- Successful reads are most of the request log (a sync reads every user back). Their entry kept
-- the response body, a copy of the stored resource, and a key in the resource index at a random
-- spot: a page written per read, then copied again by the checkpoint. Together these cost a GET
-- by id a fifth of its rate. The index now holds changes and refusals only; the portal lists a
-- resource's entries as "changes and errors about it" through this very condition
-- (`store::request_log::CHANGE_OR_REFUSAL`, `domain::request_outcome::is_successful_read`).
DROP INDEX scim_requests_resource;
CREATE INDEX scim_requests_resource ON scim_requests (resource_id) WHERE method <> 'GET' OR status >= 400;
