"""Documents for an audit: the evidence pack of a model or of the whole register (pack: PDF,
XLSX, CSV, timeline JSON and a manifest of SHA-256 hashes pinning the audit log's head), and
drafts of the documents the dates ask for (drafts). Below the faces, above the store: the
pages' HTML is handed in by the face that owns the templates (web/printed.py)."""
