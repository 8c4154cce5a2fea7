"""Members, their organizations and axes (reference data), and invitations. SQL only."""
