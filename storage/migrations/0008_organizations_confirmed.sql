-- An organization typed by an applicant is offered to others only once a coordinator approves
-- that applicant: a typo or a joke stays out of everyone's lists until then.
ALTER TABLE organizations ADD COLUMN added_by INTEGER REFERENCES members (id) ON DELETE SET NULL;
ALTER TABLE organizations ADD COLUMN confirmed INTEGER NOT NULL DEFAULT 1 CHECK (confirmed IN (0, 1));
