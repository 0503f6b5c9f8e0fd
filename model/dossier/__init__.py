"""The Dossier: records and their indexes, in object or compact form."""
