-- 0007_device_tls.sql: HTTPS trust per device: a CA file (chain and address
-- verified) or the pinned SHA-256 of the leaf certificate's DER (lowercase hex).
ALTER TABLE devices
    ADD COLUMN tls_ca_file text
        CHECK (tls_ca_file ~ '^/' AND length(tls_ca_file) < 1024),
    ADD COLUMN tls_fingerprint_sha256 char(64)
        CHECK (tls_fingerprint_sha256 ~ '^[0-9a-f]{64}$'),
    ADD CONSTRAINT devices_tls_one_trust
        CHECK (tls_ca_file IS NULL OR tls_fingerprint_sha256 IS NULL),
    ADD CONSTRAINT devices_tls_needs_https
        CHECK (rest_scheme = 'https'
               OR (tls_ca_file IS NULL AND tls_fingerprint_sha256 IS NULL));
