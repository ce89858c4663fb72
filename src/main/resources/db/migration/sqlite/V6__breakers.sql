-- Circuit breakers, shared by every replica and kept across restarts. One row per (action,
-- target) with rule_name and group_key empty; one row per (action, target, rule, alert group)
-- for a rule's ineffective_after breaker. state is closed, open (until open_until; past it, one
-- trial call may run) or half_open (trial_remediation_id is the one trial call). Calls are counted
-- from finished remediations since counted_from, so a close or a reset starts counting afresh.
-- The same table as common/V6__breakers.sql on PostgreSQL, in SQLite's types.
create table breaker (
  action               text not null,
  target               text not null,
  rule_name            text not null,
  group_key            text not null,
  state                text not null,
  opened_at            text,
  open_until           text,
  trial_remediation_id integer,
  counted_from         text not null,
  changed_at           text not null,
  primary key (action, target, rule_name, group_key),
  constraint breaker_state check (state in ('closed', 'open', 'half_open'))
);

-- Breakers count the finished calls of one (action, target), and the successes of one rule's alert group.
create index remediation_calls on remediation (action, target, finished_at);
create index remediation_group_calls on remediation (rule_name, group_key, finished_at);
