-- 0002_ssh_host_keys.sql: SSH transport per device: the port and the pinned
-- host key (OpenSSH-style "SHA256:<base64>", recorded on first use).
ALTER TABLE devices
    ADD COLUMN ssh_port integer NOT NULL DEFAULT 22
        CHECK (ssh_port BETWEEN 1 AND 65535),
    ADD COLUMN ssh_host_key_sha256 varchar(64)
        CHECK (ssh_host_key_sha256 ~ '^SHA256:[A-Za-z0-9+/]{43}$'),
    ADD COLUMN ssh_host_key_recorded_at timestamptz;
