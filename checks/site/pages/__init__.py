"""The dashboard pages: one module per page, each rendering HTML from a `View` of the report."""
