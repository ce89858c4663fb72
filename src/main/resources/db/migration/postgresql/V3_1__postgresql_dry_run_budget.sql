-- The dry-run budget's counts, indexed like the live ones in V1_1: only the rows that count.
create index remediation_cooldown_dry_run on remediation (rule_name, group_key, decided_at) where counts_dry_run;
create index remediation_counted_rule_dry_run on remediation (rule_name, decided_at) where counts_dry_run;
create index remediation_counted_all_dry_run on remediation (decided_at) where counts_dry_run;
