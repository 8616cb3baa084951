"""Pages for people and networks: signing in, the directory and a network's home, joining, person
and organisation pages, notifications."""
