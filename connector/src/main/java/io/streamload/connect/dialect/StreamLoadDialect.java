package io.streamload.connect.dialect;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.streamload.connect.buffer.BodyCodec;
import io.streamload.connect.buffer.BodyFraming;
import io.streamload.connect.load.LoadStep;
import io.streamload.connect.load.StreamLoadClient;

/**
 * Everything that differs between the Stream Load of StarRocks and that of Doris: paths, header
 * names, how JSON bodies are framed, how a row says it is a delete, the shape of replies, the
 * name of the table model deletes need, and how a load goes through a transaction. The rest of
 * the connector speaks through this interface, so adding a target (a fork, a future API) means
 * adding one implementation, naming it in {@link StreamLoadDialects} and among the values of the
 * {@code target} setting; only the shapes of error log lines are read outside the dialects
 * ({@code ErrorLogLine}, which knows StarRocks' and Doris').
 */
public interface StreamLoadDialect {

    /** Name for logs and messages, for example {@code StarRocks}. */
    String name();

    /**
     * Path of a Stream Load into a table, with the names already URL-encoded.
     *
     * @param table the table, or {@code db.table} to load into another database than {@code database}
     */
    default String streamLoadPath(String database, String table) {
        return StreamLoadPaths.streamLoad(database, table);
    }

    /** Path and query of the label state query (the same for both targets). */
    default String loadStatePath(String database, String label) {
        return StreamLoadPaths.loadState(database, label);
    }

    /** Name of the label header. */
    default String labelHeader() {
        return "label";
    }

    /**
     * The headers that tell the target how to read the body the connector writes.
     *
     * @param format {@code json} or {@code csv}
     * @param columnSeparator CSV column separator, decoded
     * @param rowDelimiter CSV row delimiter, decoded
     */
    Map<String, String> formatHeaders(String format, String columnSeparator, String rowDelimiter);

    /**
     * Why the target cannot read a body of {@code format} compressed with {@code codec}, or empty
     * when it can. Asked when the configuration is validated, so the refusal names the setting.
     *
     * @param transactional true for loads into the target's transactions ({@code exactly_once})
     */
    Optional<String> compressionRefusal(String format, BodyCodec codec, boolean transactional);

    /**
     * Adds (or changes) the headers that tell the target how a body of {@code format} is
     * compressed; {@code headers} already holds {@link #formatHeaders}. Called only for a codec
     * {@link #compressionRefusal} accepts.
     */
    void addCompressionHeaders(Map<String, String> headers, String format, BodyCodec codec);

    /** How rows are framed in the body for the format; must agree with {@link #formatHeaders}. */
    BodyFraming framing(String format, String rowDelimiter);

    /**
     * The field a JSON row carries to say whether it is an upsert (0) or a delete (1):
     * StarRocks' {@code __op}, Doris' hidden {@code __DORIS_DELETE_SIGN__}.
     */
    String deleteSignField();

    /**
     * Adds what makes the target read {@link #deleteSignField()} from each row. When
     * {@code headers} already holds a {@code columns} list, the field is appended to it.
     */
    void addDeleteSignHeaders(Map<String, String> headers);

    /**
     * Adds the headers of a partial update that writes only {@code columns} (keys included) and
     * keeps the other columns of existing rows.
     */
    void addPartialUpdateHeaders(Map<String, String> headers, List<String> columns);

    /**
     * Adds the headers that make a row replace an existing one only when its {@code column} is
     * not smaller: StarRocks' {@code merge_condition}, Doris' sequence column.
     */
    void addMergeConditionHeaders(Map<String, String> headers, String column);

    /**
     * The headers that make the target merge a load with the concurrent loads of its table, in the
     * mode that answers only once the merged transaction is visible ({@code load.mode=merge_commit}).
     */
    Map<String, String> mergeCommitHeaders(io.streamload.connect.config.MergeCommitSettings settings);

    /**
     * Whether a merged load may carry the batch's label. The target does not check it either way:
     * StarRocks keeps it as the request's id ({@code RequestId}), Doris refuses a label with group commit.
     */
    boolean labelsMergedLoads();

    /** Path of the query that tells a table's model, or empty when the target has none a load user may call. */
    Optional<String> tableModelPath(String database, String table);

    /** Reads the answer to {@link #tableModelPath}; empty when it does not say. */
    Optional<TableModel> parseTableModel(String body);

    /**
     * Reads a table's model from its {@code CREATE TABLE} statement as {@code SHOW CREATE TABLE}
     * prints it on the FE's MySQL port; empty when the statement names no key model this target has.
     */
    Optional<TableModel> parseCreateTable(String ddl);

    /**
     * Reads an HTTP 200 body of a Stream Load.
     *
     * @return the reply, or empty when the body is not a Stream Load reply (for example a proxy's page)
     */
    Optional<LoadReply> parseLoadReply(String body);

    /**
     * Reads the answer to one step of a load: a Stream Load reply, or the answer of the target's
     * transaction interface (begin, load, prepare, commit, rollback), mapped to the same statuses.
     *
     * @return the reply, or empty when the body is not one
     */
    Optional<LoadReply> parseStepReply(LoadStep step, String body);

    /** The target's transaction interface, for exactly-once delivery; requests go through {@code client}. */
    TransactionSteps transactionSteps(StreamLoadClient client, String database);

    /** What the target calls a table whose rows are replaced and deleted by key, for messages. */
    String keyedModelName();

    /** The DDL of automatic tables in this target's syntax. */
    io.streamload.connect.schema.TableDdl tableDdl(int buckets, java.util.Map<String, String> properties);

    /**
     * Reads the body of a label state query.
     *
     * @return the state, or empty when the body does not carry one
     */
    Optional<LabelState> parseLabelState(String body);
}
