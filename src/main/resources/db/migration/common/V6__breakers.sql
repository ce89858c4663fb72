-- Circuit breakers, shared by every replica and kept across restarts. One row per (action,
-- target) with rule_name and group_key empty; one row per (action, target, rule, alert group)
-- for a rule's ineffective_after breaker. state is closed, open (until open_until; past it, one
-- trial call may run) or half_open (trial_remediation_id is the one trial call). Calls are counted
-- from finished remediations since counted_from, so a close or a reset starts counting afresh.
create table breaker (
  action               varchar not null,
  target               varchar not null,
  rule_name            varchar not null,
  group_key            varchar not null,
  state                varchar(16) not null,
  opened_at            timestamp with time zone,
  open_until           timestamp with time zone,
  trial_remediation_id bigint,
  counted_from         timestamp with time zone not null,
  changed_at           timestamp with time zone not null,
  primary key (action, target, rule_name, group_key),
  constraint breaker_state check (state in ('closed', 'open', 'half_open'))
);

-- Breakers count the finished calls of one (action, target), and the successes of one rule's alert group.
create index remediation_calls on remediation (action, target, finished_at);
create index remediation_group_calls on remediation (rule_name, group_key, finished_at);
