-- Audit details as data: a locale key and its values (a serialised domain::message::Message),
-- so the trail reads in the portal's language. `details` keeps the English text (searched by the
-- trail's filter); rows written before this have no data and are shown as their text.
-- (Numbered after issue 11 so that it cannot collide with migrations written in parallel.)
ALTER TABLE audit_events ADD COLUMN details_data TEXT;
