package io.streamload.warnings;

/**
 * The database and the two tables of one cluster's warnings store.
 *
 * <p>One MySQL server is shared by many clusters; each cluster gets its own database so that their
 * job ids and labels never mix (the Doris design isolates clusters the same way).
 */
public record StoreLocation(String database, String errorsTable, String jobsTable) {
    public static final String DEFAULT_ERRORS_TABLE = "load_errors";
    public static final String DEFAULT_JOBS_TABLE = "load_jobs";

    public StoreLocation {
        Identifiers.requireValid(database, "database");
        Identifiers.requireValid(errorsTable, "load_errors table");
        Identifiers.requireValid(jobsTable, "load_jobs table");
    }

    /** Database from the URL or else from the cluster id; table from the URL or else {@code load_errors}. */
    public static StoreLocation resolve(WarningsStoreUrl url, String clusterId) {
        String database = url.database().orElseGet(() -> Identifiers.databaseForCluster(clusterId));
        return new StoreLocation(database, url.table().orElse(DEFAULT_ERRORS_TABLE), DEFAULT_JOBS_TABLE);
    }

    /** {@code `db`.`load_errors`}, quoted. */
    public String qualifiedErrorsTable() {
        return Identifiers.qualified(database, errorsTable);
    }

    /** {@code `db`.`load_jobs`}, quoted. */
    public String qualifiedJobsTable() {
        return Identifiers.qualified(database, jobsTable);
    }
}
