-- Up Migration

-- A key may be scoped: a staff key to one team, a partner key to the signal partner it speaks for.
ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check CHECK (role IN ('intake', 'staff', 'admin', 'partner'));
ALTER TABLE api_keys ADD COLUMN scope text;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_scope_check CHECK (
  (role = 'partner' AND scope ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$')
  OR (role = 'staff' AND (scope IS NULL OR scope IN ('callcentre', 'visits', 'wijkteam', 'sdv', 'budgetcoach', 'meldpunt')))
  OR (role IN ('intake', 'admin') AND scope IS NULL)
);

-- Down Migration

DELETE FROM api_keys WHERE role = 'partner';
ALTER TABLE api_keys DROP CONSTRAINT api_keys_scope_check;
ALTER TABLE api_keys DROP COLUMN scope;
ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check CHECK (role IN ('intake', 'staff', 'admin'));
