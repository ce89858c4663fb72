-- The tamper-evident audit chain, as common/V12__audit_seal.sql on PostgreSQL. The embedded
-- store runs one transaction at a time, so events commit in id order and need no transaction
-- horizon: the sealer seals events past the highest one sealed.

-- How the chain is sealed: 'hmac-sha256' or 'sha256', and a check value of the key. Written once.
create table audit_chain (
  id         integer primary key check (id = 1),
  mode       text not null,
  key_check  text not null,
  created_at text not null
);

-- One link per sealed event.
create table audit_seal (
  seq       integer primary key,
  event_id  integer not null unique,
  prev_hash text not null,
  hash      text not null
);

-- Where the chain starts after retention deleted older segments: the last deleted link.
create table audit_anchor (
  seq         integer primary key,
  hash        text not null,
  events      integer not null,
  anchored_at text not null
);

insert into maintenance_lock (name) values ('audit_chain');

-- Append-only, even against hand-written SQL; retention alone may delete sealed events and their
-- links, once an anchor at or past the link's seq has been recorded.
drop trigger audit_event_no_delete;
create trigger audit_event_no_delete before delete on audit_event
when not exists (select 1 from audit_seal s where s.event_id = old.id and s.seq <= (select max(seq) from audit_anchor))
begin
  select raise(abort, 'audit_event is append-only: DELETE is not allowed');
end;

create trigger audit_seal_no_update before update on audit_seal
begin
  select raise(abort, 'audit_seal is append-only: UPDATE is not allowed');
end;

create trigger audit_seal_no_delete before delete on audit_seal
when old.seq > coalesce((select max(seq) from audit_anchor), 0)
begin
  select raise(abort, 'audit_seal is append-only: DELETE is not allowed');
end;

create trigger audit_anchor_no_update before update on audit_anchor
begin
  select raise(abort, 'audit_anchor is append-only: UPDATE is not allowed');
end;

create trigger audit_anchor_no_delete before delete on audit_anchor
begin
  select raise(abort, 'audit_anchor is append-only: DELETE is not allowed');
end;

create trigger audit_chain_no_update before update on audit_chain
begin
  select raise(abort, 'audit_chain is append-only: UPDATE is not allowed');
end;

create trigger audit_chain_no_delete before delete on audit_chain
begin
  select raise(abort, 'audit_chain is append-only: DELETE is not allowed');
end;
