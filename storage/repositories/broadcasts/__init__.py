"""The durable outbox: broadcasts and their deliveries, for every message sent to many. SQL only."""
