package io.streamload.emulator.dialect;

import io.streamload.emulator.load.HeaderRules;
import io.streamload.emulator.load.LoadState;
import io.streamload.emulator.table.TableDefinition;
import java.util.List;

/**
 * Everything that differs between StarRocks and Doris on the wire, in one place: body shapes, field
 * names, message prefixes, redirect form, error log lines, and the data headers each reads its own way.
 */
public interface ServerDialect extends HeaderRules {
    String name();

    /** The JSON body of a stream load answer. */
    String loadResponse(LoadReply reply);

    /** The JSON body of the answer to a load the server merged into a shared transaction. */
    String mergedLoadResponse(MergedReply reply);

    /** The label the server gives a transaction it made of merged loads. */
    String mergedLabel();

    /** FE-side failure (no 100-continue header, no backend alive ...), HTTP 200. */
    String feFailure(String message);

    /** What the FE says to an HTTP/1.1 load sent without {@code Expect: 100-continue}. */
    default String noContinueHeader() {
        return feFailure(noContinueMessage());
    }

    /** Both targets word it the same; only the body around it differs. */
    default String noContinueMessage() {
        return "There is no 100-continue header";
    }

    /** The body of {@code GET /api/{db}/get_load_state?label=}. */
    String loadStateResponse(String state);

    /** The state name this dialect uses for a load state, or UNKNOWN. */
    String stateName(LoadState state);

    /** ExistingJobStatus for a Label Already Exists answer. */
    String existingJobStatus(LoadState state);

    /** The Location of the FE's 307; Doris embeds the credentials, StarRocks never does. */
    String redirectLocation(String beBaseUrl, String pathAndQuery, String user, String password);

    /** One line of the rejected-rows log. */
    String errorLogLine(String reason, String row);

    /**
     * The rejected-rows log of one load, its lines cut as the target cuts them: the BE's
     * {@code RuntimeState::append_error_msg_to_file} keeps a few dozen rows, whatever the format.
     *
     * @param lines one {@link #errorLogLine} per logged row, in row order
     */
    String errorLog(List<String> lines);

    /**
     * The message of a load refused because its tablet holds {@code versions} versions, more than
     * {@code limit}: each server's own words (see emulator/README.md, "Tablet versions").
     */
    String tooManyVersions(long tabletId, int versions, int limit);

    /** The setting a user of this server raises to allow more versions per tablet. */
    String versionLimitSetting();

    /** Whether the data-load endpoints accept {@code two_phase_commit}. */
    boolean supportsTwoPhaseStreamLoad();

    /** The body of {@code GET /api/{db}/{table}/_schema}: the columns, and (Doris only) the key model. */
    String tableSchemaResponse(TableDefinition table);

    /** The body of {@code GET /api/_get_ddl?db=&tbl=} (the table's CREATE TABLE), or null where not served. */
    String tableDdlResponse(TableDefinition table);

    /**
     * Whether a JSON load into a primary key table reads an {@code __op} field of each object when
     * {@code columns} does not name {@code __op} (StarRocks' planner adds the op column itself for
     * JSON stream loads).
     */
    boolean readsOpFromJsonRows();
}
