"""Analysis: the frames that pages, briefings and decks need, read from the store."""
