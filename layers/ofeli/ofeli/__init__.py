"""OFeli shared package: domain rules, storage, API plumbing, mail and export writers."""
