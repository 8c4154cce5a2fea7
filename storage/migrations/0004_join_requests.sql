-- Requests to join the community supergroup from people who are not active members yet:
-- approved by the bot as soon as their membership becomes active.
CREATE TABLE join_requests (
    telegram_user_id INTEGER NOT NULL,
    chat_id          INTEGER NOT NULL,
    requested_at     TEXT NOT NULL,
    PRIMARY KEY (telegram_user_id, chat_id)
) WITHOUT ROWID;
