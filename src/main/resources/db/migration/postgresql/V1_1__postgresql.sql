-- PostgreSQL only: find undecided alerts without scanning decided ones, and keep the audit
-- log append-only even against hand-written SQL.
create index alert_undecided on alert (id) where decided_at is null;

-- Cooldowns and rate limits read only decisions that act ("counts"); indexing just those keeps
-- each guard query small however many alerts an alert storm has skipped or dry-run.
create index remediation_cooldown on remediation (rule_name, group_key, decided_at) where counts;
create index remediation_counted_rule on remediation (rule_name, decided_at) where counts;
create index remediation_counted_all on remediation (decided_at) where counts;

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
