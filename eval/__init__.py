"""The evaluation harness: 400 scenario cards, generated cases, deterministic scorers, runner and reports."""
