"""The rating engine: pure functions from cell returns and a rule-set to results."""
