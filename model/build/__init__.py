"""Building and checking records from nodes: fields, dates, quotes located in sources, mentions."""
