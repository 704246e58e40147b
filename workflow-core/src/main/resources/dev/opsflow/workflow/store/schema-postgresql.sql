-- Opsflow JdbcExecutionStore schema for PostgreSQL 15+.
-- Idempotent: JdbcExecutionStore applies it on first use unless the host turns that off
-- (JdbcExecutionStore.builder(ds).createSchema(false)) and applies it with its own migration tool.
-- Times are UTC; record and event hold the JSON the store reads back (json keeps the text as is).

CREATE TABLE IF NOT EXISTS opsflow_runs (
  run_id           VARCHAR(200) PRIMARY KEY,
  workflow         VARCHAR(200) NOT NULL,
  workflow_version INTEGER      NOT NULL,
  idempotency_key  TEXT,
  state            VARCHAR(16)  NOT NULL,
  owner            VARCHAR(200),
  lease_until      TIMESTAMPTZ,
  created_at       TIMESTAMPTZ  NOT NULL,
  updated_at       TIMESTAMPTZ  NOT NULL,
  version          BIGINT       NOT NULL,
  record           JSON         NOT NULL
) WITH (fillfactor = 70);

-- Few indexes, on columns a step commit does not change (owner, lease_until, updated_at, version
-- and record change at every commit): such an update stays a HOT update, with no index writes.
-- findExpired reads the unfinished runs (few) by creation; history pages by creation time.
CREATE INDEX IF NOT EXISTS opsflow_runs_unfinished ON opsflow_runs (created_at)
  WHERE state IN ('PENDING', 'RUNNING');
CREATE INDEX IF NOT EXISTS opsflow_runs_created ON opsflow_runs (created_at);

CREATE TABLE IF NOT EXISTS opsflow_run_events (
  run_id VARCHAR(200) NOT NULL REFERENCES opsflow_runs (run_id) ON DELETE CASCADE,
  seq    BIGINT       NOT NULL,
  event  JSON         NOT NULL,
  PRIMARY KEY (run_id, seq)
);

CREATE TABLE IF NOT EXISTS opsflow_idempotency (
  idempotency_key TEXT         PRIMARY KEY,
  run_id          VARCHAR(200) NOT NULL
);

-- A request to cancel a run executing in any engine (opsflow cancel), and with_rollback to undo
-- its completed steps too (opsflow cancel --rollback); the engine polls it.
CREATE TABLE IF NOT EXISTS opsflow_cancel_requests (
  run_id       VARCHAR(200) PRIMARY KEY REFERENCES opsflow_runs (run_id) ON DELETE CASCADE,
  requested_at TIMESTAMPTZ NOT NULL,
  with_rollback BOOLEAN NOT NULL DEFAULT FALSE
);

-- Stores made before cancel-and-roll-back requests: add the column they lack.
ALTER TABLE opsflow_cancel_requests ADD COLUMN IF NOT EXISTS with_rollback BOOLEAN NOT NULL DEFAULT FALSE;

-- Owners that take their runs over at once when their session ends: each engine's store holds a
-- session-level advisory lock on lock_key while it lives (see SessionOwners). Optional: without
-- this table, runs of a dead owner are taken over when their lease runs out.
CREATE TABLE IF NOT EXISTS opsflow_owners (
  owner    VARCHAR(200) PRIMARY KEY,
  lock_key BIGINT       NOT NULL
);
