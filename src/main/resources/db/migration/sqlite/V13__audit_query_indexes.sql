-- GET /api/v1/audit answers a filtered page newest first: each equality filter walks its own
-- (column, id) index backwards from the cursor and stops after one page, as on PostgreSQL
-- (common/V13__audit_query_indexes.sql). The text search (q) has no index here: it reads the rows
-- the other filters leave, newest first, until a page is full.
create index audit_event_alertname on audit_event (alertname, id);
create index audit_event_rule on audit_event (rule_name, id);
create index audit_event_action on audit_event (action, id);
create index audit_event_target on audit_event (target, id);
create index audit_event_outcome on audit_event (outcome, id);
create index audit_event_kind on audit_event (kind, id);
create index audit_event_actor on audit_event (actor, id);
create index audit_event_occurred_at on audit_event (occurred_at);
