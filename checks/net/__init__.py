"""The network boundary: static URL safety checks and the one bounded HTTP client."""
