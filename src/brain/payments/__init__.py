"""payments: payment requests for paid courses and the access they unlock."""
