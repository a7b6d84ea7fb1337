-- Up Migration

-- The staff console's sessions (api/console/). The browser holds a random token; only its SHA-256 is stored, so a
-- database dump opens no session. Claims are what the municipality's IdP said at sign-in: no personal data beyond
-- the IdP's subject identifier, which is a pseudonymous account ID.
CREATE TABLE console_sessions (
  token_hash text PRIMARY KEY,
  municipality text NOT NULL,
  subject text NOT NULL,
  teams text[] NOT NULL,
  role text NOT NULL CHECK (role IN ('staff', 'admin')),
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX console_sessions_expires_at ON console_sessions (expires_at);

-- A sign-in under way: the PKCE verifier, state and nonce between the redirect to the IdP and its callback.
CREATE TABLE console_logins (
  token_hash text PRIMARY KEY,
  state text NOT NULL,
  nonce text NOT NULL,
  code_verifier text NOT NULL,
  expires_at timestamptz NOT NULL
);

-- The queue and breach pages read open rounds by municipality.
CREATE INDEX cases_open_by_municipality ON cases (municipality, case_id) WHERE status NOT IN ('dormant', 'ended');

-- Down Migration

DROP INDEX cases_open_by_municipality;
DROP TABLE console_logins;
DROP TABLE console_sessions;
