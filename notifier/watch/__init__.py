"""The watcher: notice revisions of the Code of Practice text and of the signatory list."""
