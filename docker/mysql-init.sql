-- The warnings store: the connector creates the database named after its load.errors.cluster.id
-- (orders-to-starrocks -> orders_to_starrocks) and its tables on first use.
GRANT ALL PRIVILEGES ON `orders_to_starrocks`.* TO 'loader'@'%';
