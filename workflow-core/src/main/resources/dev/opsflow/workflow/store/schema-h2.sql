-- Opsflow JdbcExecutionStore schema for H2 2.x (tests and quick trials; PostgreSQL for production).
-- Idempotent: JdbcExecutionStore applies it on first use unless the host turns that off.

CREATE TABLE IF NOT EXISTS opsflow_runs (
  run_id           VARCHAR(200) PRIMARY KEY,
  workflow         VARCHAR(200) NOT NULL,
  workflow_version INTEGER      NOT NULL,
  idempotency_key  VARCHAR(1000),
  state            VARCHAR(16)  NOT NULL,
  owner            VARCHAR(200),
  lease_until      TIMESTAMP WITH TIME ZONE,
  created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  version          BIGINT       NOT NULL,
  record           CHARACTER LARGE OBJECT NOT NULL
);

CREATE INDEX IF NOT EXISTS opsflow_runs_unfinished ON opsflow_runs (state, lease_until);
CREATE INDEX IF NOT EXISTS opsflow_runs_created ON opsflow_runs (created_at);
CREATE INDEX IF NOT EXISTS opsflow_runs_workflow ON opsflow_runs (workflow, created_at);
CREATE INDEX IF NOT EXISTS opsflow_runs_key ON opsflow_runs (idempotency_key);
CREATE INDEX IF NOT EXISTS opsflow_runs_updated ON opsflow_runs (updated_at);

CREATE TABLE IF NOT EXISTS opsflow_run_events (
  run_id VARCHAR(200) NOT NULL REFERENCES opsflow_runs (run_id) ON DELETE CASCADE,
  seq    BIGINT       NOT NULL,
  event  CHARACTER LARGE OBJECT NOT NULL,
  PRIMARY KEY (run_id, seq)
);

CREATE TABLE IF NOT EXISTS opsflow_idempotency (
  idempotency_key VARCHAR(1000) PRIMARY KEY,
  run_id          VARCHAR(200)  NOT NULL
);

-- A request to cancel a run executing in any engine (opsflow cancel), and with_rollback to undo
-- its completed steps too (opsflow cancel --rollback); the engine polls it.
CREATE TABLE IF NOT EXISTS opsflow_cancel_requests (
  run_id       VARCHAR(200) PRIMARY KEY REFERENCES opsflow_runs (run_id) ON DELETE CASCADE,
  requested_at TIMESTAMP WITH TIME ZONE NOT NULL,
  with_rollback BOOLEAN NOT NULL DEFAULT FALSE
);

-- Stores made before cancel-and-roll-back requests: add the column they lack.
ALTER TABLE opsflow_cancel_requests ADD COLUMN IF NOT EXISTS with_rollback BOOLEAN NOT NULL DEFAULT FALSE;
