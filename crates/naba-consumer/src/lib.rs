//! Consuming articles from Kafka: partitions, ordered parallel extraction, offsets.
