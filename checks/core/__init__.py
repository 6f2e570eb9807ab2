"""The run: findings, the rule registry, the shared context, the engine and the closure verdict."""
