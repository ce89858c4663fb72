-- H2 has no partial indexes: the undecided-alert scan and the guards' counts (cooldowns and
-- rate limits read only decisions that act) use plain composite indexes instead.
create index alert_undecided on alert (decided_at, id);
create index remediation_cooldown on remediation (rule_name, group_key, counts, decided_at);
create index remediation_counted_rule on remediation (rule_name, counts, decided_at);
create index remediation_counted_all on remediation (counts, decided_at);
