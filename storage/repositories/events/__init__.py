"""Events, answers, check-ins and working groups; targets that audiences can name. SQL only."""
