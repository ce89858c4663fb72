-- When a remediation that awaits approval expires: its decision time plus the rule's
-- approval_ttl, fixed when it is decided so a later rules reload does not move it. Null for
-- every other state. Rows that awaited approval before this column existed get the default 30m.
alter table remediation add column expires_at timestamp with time zone;
update remediation set expires_at = decided_at + interval '30 minutes' where state = 'awaiting_approval';
create index remediation_expiry on remediation (state, expires_at);

-- Why an escalation was asked for (the escalation reason; null for verify follow-ups) and when it
-- was sent, so the escalator can send at most one per rule and alert group in its window.
alter table outbox add column reason varchar(32);
alter table outbox add column sent_at timestamp with time zone;
create index outbox_sent on outbox (kind, sent_at);
