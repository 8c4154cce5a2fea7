"""SQLite storage: the database, its migrations, repositories, models and exports."""
