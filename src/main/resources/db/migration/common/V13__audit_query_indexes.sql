-- GET /api/v1/audit answers a filtered page newest first: each equality filter walks its own
-- (column, id) index backwards from the cursor and stops after one page, whatever the log's size.
-- fingerprint has had such an index since V1.
create index audit_event_alertname on audit_event (alertname, id);
create index audit_event_rule on audit_event (rule_name, id);
create index audit_event_action on audit_event (action, id);
create index audit_event_target on audit_event (target, id);
create index audit_event_outcome on audit_event (outcome, id);
create index audit_event_kind on audit_event (kind, id);
create index audit_event_actor on audit_event (actor, id);
create index audit_event_occurred_at on audit_event (occurred_at);

-- The text search (q) matches a substring of one lower-cased text made of the summary fields and
-- the detail. pg_trgm ships with Debian's postgresql package and is a trusted extension, so the
-- database owner may create it; its trigram index finds rare substrings without reading every
-- row. The expression must stay identical to AuditQuery.SEARCH_TEXT, or the planner ignores it.
create extension if not exists pg_trgm;
create index audit_event_search on audit_event using gin (
  (lower(coalesce(alertname, '') || ' ' || coalesce(rule_name, '') || ' ' || coalesce(action, '') || ' '
         || coalesce(target, '') || ' ' || coalesce(outcome, '') || ' ' || actor || ' ' || detail))
  gin_trgm_ops);
