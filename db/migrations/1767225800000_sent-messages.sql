-- Up Migration

-- Idempotency of outbound messages and calls (activities/channels/sent-store.ts): one row per channel + key, so a
-- retried activity never sends the same SMS, e-mail, letter or call twice. No personal data.
CREATE TABLE sent_messages (
  key text PRIMARY KEY,
  state text NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
  ref text,
  at timestamptz NOT NULL
);

-- Down Migration

DROP TABLE sent_messages;
