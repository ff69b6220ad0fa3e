package io.streamload.connect.dialect;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import io.streamload.connect.routing.TargetTable;

/** The HTTP paths both targets share, with names URL-encoded. */
public final class StreamLoadPaths {

    private StreamLoadPaths() {
    }

    static String streamLoad(String database, String table) {
        TargetTable target = TargetTable.resolve(database, table);
        return "/api/" + segment(target.database()) + "/" + segment(target.table()) + "/_stream_load";
    }

    static String loadState(String database, String label) {
        return "/api/" + segment(database) + "/get_load_state?label=" + query(label);
    }

    static String tableSchema(String database, String table) {
        TargetTable target = TargetTable.resolve(database, table);
        return "/api/" + segment(target.database()) + "/" + segment(target.table()) + "/_schema";
    }

    static String tableDdl(String database, String table) {
        TargetTable target = TargetTable.resolve(database, table);
        return "/api/_get_ddl?db=" + query(target.database()) + "&tbl=" + query(target.table());
    }

    /** Doris' endpoint that commits or aborts a pre-committed stream load. */
    public static String twoPhaseCommit(String database) {
        return "/api/" + segment(database) + "/_stream_load_2pc";
    }

    static String segment(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
