-- GET /api/v1/audit answers a filtered page newest first, ordered by (occurred_at, id): each
-- equality filter walks its own (column, occurred_at, id) index backwards from the cursor, or from
-- the end of the time window, and stops after one page, as on PostgreSQL
-- (common/V13__audit_query_indexes.sql). The fingerprint index of V1 is rebuilt the same way. The
-- text search (q) has no index here: it reads the rows the other filters leave, newest first,
-- until a page is full.
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
