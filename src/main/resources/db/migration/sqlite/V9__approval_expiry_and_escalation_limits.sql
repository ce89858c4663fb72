-- When a remediation that awaits approval expires: its decision time plus the rule's
-- approval_ttl, fixed when it is decided so a later rules reload does not move it. Null for
-- every other state. Rows that awaited approval before this column existed get the default 30m
-- (instants are text like 2026-11-22T10:00:00.000000Z; the fraction and zone are kept as they were).
alter table remediation add column expires_at text;
update remediation
  set expires_at = strftime('%Y-%m-%dT%H:%M:%S', substr(decided_at, 1, 19), '+30 minutes') || substr(decided_at, 20)
  where state = 'awaiting_approval';
create index remediation_expiry on remediation (state, expires_at);

-- Why an escalation was asked for (the escalation reason; null for verify follow-ups) and when it
-- was sent, so the escalator can send at most one per rule and alert group in its window.
alter table outbox add column reason text;
alter table outbox add column sent_at text;
create index outbox_sent on outbox (kind, sent_at);
