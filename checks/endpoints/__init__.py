"""Endpoints: route extraction by framework, the shipped catalog and its snapshot, runbooks and drift."""
