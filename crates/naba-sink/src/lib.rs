//! Publishing enriched records and dead letters to Kafka.
