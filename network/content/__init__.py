"""What members share: practices and requests, replies, offers, reactions, follows, the feed and search."""
