"""Search: the query language, the FTS5 index, ranking, result types, and its disk cache."""
