"""Email: render digests from templates, deliver over SMTP or to the outbox, dispatch reminders."""
