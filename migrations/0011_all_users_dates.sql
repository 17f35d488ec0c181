-- The built-in "All Users" group was seeded with the Unix epoch as its dates, which the portal
-- then showed as "1970-01-01". Give it the moment this database was upgraded instead: a real date.
-- (Numbered after issue 11 so that it cannot collide with migrations written in parallel.)
UPDATE groups
SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
WHERE id = 'all-users' AND created_at LIKE '1970-%';
