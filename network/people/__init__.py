"""People and the networks they form and join: accounts, networks, membership, profiles and notifications."""
