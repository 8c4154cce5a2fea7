-- Where each membership application was announced to coordinators and admins: once one of them
-- decides, the others' copies lose their buttons and say who decided. Gone with the member.
CREATE TABLE application_notices (
    member_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    chat_id    INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    PRIMARY KEY (member_id, chat_id, message_id)
) WITHOUT ROWID;
