-- PostgreSQL only: find undecided alerts without scanning decided ones, and keep the audit
-- log append-only even against hand-written SQL.
create index alert_undecided on alert (id) where decided_at is null;

create function audit_event_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_event is append-only: % is not allowed', tg_op;
end
$$;

create trigger audit_event_append_only
  before update or delete on audit_event
  for each row execute function audit_event_is_append_only();

create trigger audit_event_no_truncate
  before truncate on audit_event
  for each statement execute function audit_event_is_append_only();
