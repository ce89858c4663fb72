-- Find undecided alerts without scanning decided ones, and let cooldowns and rate limits read
-- only decisions that act ("counts"), as the partial indexes on PostgreSQL do.
create index alert_undecided on alert (id) where decided_at is null;
create index remediation_cooldown on remediation (rule_name, group_key, decided_at) where counts;
create index remediation_counted_rule on remediation (rule_name, decided_at) where counts;
create index remediation_counted_all on remediation (decided_at) where counts;

-- Keep the audit log append-only even against hand-written SQL.
create trigger audit_event_no_update before update on audit_event
begin
  select raise(abort, 'audit_event is append-only: UPDATE is not allowed');
end;

create trigger audit_event_no_delete before delete on audit_event
begin
  select raise(abort, 'audit_event is append-only: DELETE is not allowed');
end;
