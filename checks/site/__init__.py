"""The dashboard: MkDocs hooks and macros, and the HTML pages rendered from the checker's report."""
