"""Exception policy: the time rules that decide each exception's state, and what it may waive."""
