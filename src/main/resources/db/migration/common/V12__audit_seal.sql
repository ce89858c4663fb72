-- The tamper-evident audit chain. Writers keep appending audit_event rows in their own
-- transactions; one sealer at a time links committed events into audit_seal, in seal order:
-- hash = HMAC-SHA256(key, prev_hash || canonical(event)), or plain SHA-256 without a key.

-- The transaction that wrote each event. A lower id may commit after a higher one has been
-- sealed. Every event not visible to a seal belongs to a transaction at or past the oldest one
-- then running (the snapshot's xmin); the seal records that horizon and the next one scans for
-- unsealed events from it, so no late event is skipped and old ones are never scanned again.
alter table audit_event add column txid xid8 not null default pg_current_xact_id();
create index audit_event_txid on audit_event (txid);

-- How the chain is sealed: 'hmac-sha256' or 'sha256', and a check value of the key (the hash
-- of a fixed text), so that verifying with another key reports a key mismatch, not a break.
-- Written once, by the first seal.
create table audit_chain (
  id         smallint primary key check (id = 1),
  mode       varchar(16) not null,
  key_check  varchar(64) not null,
  created_at timestamp with time zone not null
);

-- One link per sealed event. scan_from is the transaction horizon the next seal scans from.
create table audit_seal (
  seq            bigint primary key,
  event_id       bigint not null unique,
  prev_hash      varchar(64) not null,
  hash           varchar(64) not null,
  scan_from      xid8 not null
);

-- Where the chain starts after retention deleted older segments: the last deleted link.
create table audit_anchor (
  seq         bigint primary key,
  hash        varchar(64) not null,
  events      bigint not null,
  anchored_at timestamp with time zone not null
);

-- The sealer and audit retention of every replica take this row's lock, one at a time.
insert into maintenance_lock (name) values ('audit_chain');

-- Append-only, even against hand-written SQL. The one exception is retention: a sealed event and
-- its link may be deleted once an anchor at or past the link's seq has been recorded.
create or replace function audit_event_is_append_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    if exists (select 1 from audit_seal s
               where s.event_id = old.id and s.seq <= (select max(seq) from audit_anchor)) then
      return old;
    end if;
  end if;
  raise exception 'audit_event is append-only: % is not allowed', tg_op;
end
$$;

create function audit_seal_is_append_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    if old.seq <= (select max(seq) from audit_anchor) then
      return old;
    end if;
  end if;
  raise exception 'audit_seal is append-only: % is not allowed', tg_op;
end
$$;

create function audit_record_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only: % is not allowed', tg_table_name, tg_op;
end
$$;

create trigger audit_seal_append_only
  before update or delete on audit_seal
  for each row execute function audit_seal_is_append_only();
create trigger audit_seal_no_truncate
  before truncate on audit_seal
  for each statement execute function audit_record_is_append_only();

create trigger audit_anchor_append_only
  before update or delete on audit_anchor
  for each row execute function audit_record_is_append_only();
create trigger audit_anchor_no_truncate
  before truncate on audit_anchor
  for each statement execute function audit_record_is_append_only();

create trigger audit_chain_append_only
  before update or delete on audit_chain
  for each row execute function audit_record_is_append_only();
create trigger audit_chain_no_truncate
  before truncate on audit_chain
  for each statement execute function audit_record_is_append_only();
