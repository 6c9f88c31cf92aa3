"""DynamoDB, S3 and Cognito access: the only code that calls boto3 for data.

Keys of the single table (see README, "Données"):
- `pk`/`sk`: the item's home partition and sort key;
- `gsi1pk`/`gsi1sk` (index `gsi1`): look-ups by another key (e-mail, structure's offer, ...);
- `gsi2pk`/`gsi2sk` (index `gsi2`): ordered queues (moderation queue by submission time, ...);
- `expires_at`: the TTL attribute (epoch seconds).
"""
