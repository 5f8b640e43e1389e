"""The data floor: vocabularies, schemas, reading and checking the files, the Atlas."""
