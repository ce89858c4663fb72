-- GET /api/v1/audit answers a filtered page newest first, ordered by (occurred_at, id): each
-- equality filter walks its own (column, occurred_at, id) index backwards from the cursor, or from
-- the end of the time window, and stops after one page, whatever the log's size or the window's
-- place in it. The fingerprint index of V1 (fingerprint, id) is rebuilt the same way.
drop index audit_event_fingerprint;
create index audit_event_fingerprint on audit_event (fingerprint, occurred_at, id);
create index audit_event_alertname on audit_event (alertname, occurred_at, id);
create index audit_event_rule on audit_event (rule_name, occurred_at, id);
create index audit_event_action on audit_event (action, occurred_at, id);
create index audit_event_target on audit_event (target, occurred_at, id);
create index audit_event_outcome on audit_event (outcome, occurred_at, id);
create index audit_event_kind on audit_event (kind, occurred_at, id);
create index audit_event_actor on audit_event (actor, occurred_at, id);
create index audit_event_occurred_at on audit_event (occurred_at, id);

-- The text search (q) matches a substring of one lower-cased text made of the summary fields and
-- the detail. pg_trgm ships with Debian's postgresql package and is a trusted extension, so the
-- database owner may create it; its trigram index finds rare substrings without reading every
-- row. The expression must stay identical to AuditReader.SEARCH_TEXT, or the planner ignores it.
create extension if not exists pg_trgm;
create index audit_event_search on audit_event using gin (
  (lower(coalesce(alertname, '') || ' ' || coalesce(rule_name, '') || ' ' || coalesce(action, '') || ' '
         || coalesce(target, '') || ' ' || coalesce(outcome, '') || ' ' || actor || ' ' || detail))
  gin_trgm_ops);
