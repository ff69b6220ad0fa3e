package io.streamload.connect.dialect;

import java.util.Map;
import java.util.Optional;

import io.streamload.connect.buffer.BodyFraming;

/**
 * Everything that differs between the Stream Load of StarRocks and that of Doris: paths, header
 * names, how JSON bodies are framed, and the shape of replies. The rest of the connector speaks
 * only through this interface, so adding a target means adding one implementation.
 */
public interface StreamLoadDialect {

    /** Name for logs and messages, for example {@code StarRocks}. */
    String name();

    /** Path of a Stream Load into a table, with the names already URL-encoded. */
    String streamLoadPath(String database, String table);

    /** Path and query of the label state query. */
    String loadStatePath(String database, String label);

    /** Name of the label header. */
    String labelHeader();

    /**
     * The headers that tell the target how to read the body the connector writes.
     *
     * @param format {@code json} or {@code csv}
     * @param columnSeparator CSV column separator, decoded
     * @param rowDelimiter CSV row delimiter, decoded
     */
    Map<String, String> formatHeaders(String format, String columnSeparator, String rowDelimiter);

    /** How rows are framed in the body for the format; must agree with {@link #formatHeaders}. */
    BodyFraming framing(String format, String rowDelimiter);

    /**
     * Reads an HTTP 200 body of a Stream Load.
     *
     * @return the reply, or empty when the body is not a Stream Load reply (for example a proxy's page)
     */
    Optional<LoadReply> parseLoadReply(String body);

    /**
     * Reads the body of a label state query.
     *
     * @return the state, or empty when the body does not carry one
     */
    Optional<LabelState> parseLabelState(String body);
}
