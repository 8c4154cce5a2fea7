"""Events and their series, answers, check-ins (events.py); working groups (groups.py);
targets that audiences can name (targets.py). SQL only."""
