"""Support code for Ferry's live tests (emulator process, SDK clients, AzCopy, test data)."""
