"""The SpiffWorkflow adapter: specs, safe expressions, lanes, serialization and the case runner."""
