-- Up Migration

-- The signal partner a signal came from (signaalpartner.naam, or the partner key's scope that posted it): a partner
-- key sees and resolves only its own signals, and reads their feedback by it.
ALTER TABLE signals ADD COLUMN partner text;
CREATE INDEX signals_partner ON signals (municipality, partner, received_at, signal_id) WHERE partner IS NOT NULL;

-- Down Migration

DROP INDEX signals_partner;
ALTER TABLE signals DROP COLUMN partner;
