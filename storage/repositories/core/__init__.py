"""What the frame needs: the audit log and the conversation persistence. SQL only."""
