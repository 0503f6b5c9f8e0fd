"""Storage on disk: the cache folder, the dossier cache, the one atomic writer."""
