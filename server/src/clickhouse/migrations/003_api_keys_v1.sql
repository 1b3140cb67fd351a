-- Secret analytics API keys, stored only as SHA-256 hashes of high-entropy random keys.
CREATE TABLE IF NOT EXISTS {db:Identifier}.api_keys_v1
(
    key_id      String                 COMMENT 'Public id of the key (its first characters), for listing and revoking',
    site_id     String                 COMMENT 'Site the key reads',
    key_hash    String                 COMMENT 'Hex SHA-256 of the whole key',
    created_at  DateTime64(3, 'UTC')   COMMENT 'When the key was created',
    updated_at  DateTime64(3, 'UTC')   COMMENT 'Version of this row',
    revoked     UInt8                  COMMENT '1 when the key was revoked'
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY key_id
COMMENT 'Hashed secret API keys'
