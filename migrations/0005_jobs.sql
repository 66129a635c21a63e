-- 0005_jobs.sql: plan applies run as jobs: the job states of the issue
-- (pending, running, completed, failed, cancelled), the tools/call that
-- carries the job (request_id), and one step record per device written
-- before and after every device write so a job resumes after a crash.
ALTER TABLE jobs DROP CONSTRAINT IF EXISTS jobs_status_check;
UPDATE jobs SET status = 'completed' WHERE status = 'success';
ALTER TABLE jobs
    ADD CONSTRAINT jobs_status_check
        CHECK (status IN ('pending', 'running', 'completed', 'failed',
                          'cancelled')),
    ADD COLUMN request_id  varchar(64) UNIQUE,
    ADD COLUMN tool_name   varchar(128),
    ADD COLUMN created_by  varchar(255),
    ADD COLUMN batch_count integer NOT NULL DEFAULT 1 CHECK (batch_count >= 1),
    ADD COLUMN started_at  timestamptz,
    ADD COLUMN finished_at timestamptz;
CREATE INDEX jobs_plan ON jobs (plan_id);

-- step: pending -> applying -> applied -> healthy, or on the way
-- failed | reverting -> rolled_back | rollback_failed; skipped when the job
-- stopped before the device's batch. pending_write is the write in flight
-- (index, menu as read before it): set before the device is touched,
-- cleared with the undo step after; a crash in between leaves it for the
-- resuming agent to settle by reading the device.
CREATE TABLE job_devices (
    job_id        varchar(64) NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    device_id     varchar(64) NOT NULL,
    position      integer NOT NULL CHECK (position >= 0),
    batch         integer NOT NULL CHECK (batch >= 0),
    step          varchar(16) NOT NULL DEFAULT 'pending'
        CHECK (step IN ('pending', 'applying', 'applied', 'healthy',
                        'failed', 'reverting', 'rolled_back',
                        'rollback_failed', 'skipped')),
    writes_done   integer NOT NULL DEFAULT 0 CHECK (writes_done >= 0),
    pending_write jsonb,
    undo          jsonb NOT NULL DEFAULT '[]'
        CHECK (jsonb_typeof(undo) = 'array'),
    undo_done     integer NOT NULL DEFAULT 0 CHECK (undo_done >= 0),
    snapshot_ids  jsonb NOT NULL DEFAULT '[]'
        CHECK (jsonb_typeof(snapshot_ids) = 'array'),
    message       text NOT NULL DEFAULT '',
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, device_id),
    UNIQUE (job_id, position)
);
