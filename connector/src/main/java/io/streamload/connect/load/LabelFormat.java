package io.streamload.connect.load;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import io.streamload.connect.buffer.ChunkedBytes;
import io.streamload.connect.buffer.PartitionRange;

/**
 * Builds the Stream Load label of a batch from what the batch is, so the same records always get
 * the same label and a retry can never load them twice:
 * {@code <prefix>-<connector>-<table>-<topic>-<partition>-<first>-<last>-<identity>}, with one
 * {@code <topic>-<partition>-<first>-<last>} group per partition, ordered by topic and partition.
 *
 * <p>Why the label carries the batch's content and not only its position: a target takes an
 * existing finished label as proof that the load is done. Offsets alone do not name records: a
 * topic deleted and created again, or two Connect clusters with same-named connectors and topics
 * loading one database, reuse the same offsets for other records, which would then be skipped as
 * "already loaded". The {@code identity} is a hash of every field of the readable part plus the
 * body's length, two independent checksums of its bytes (CRC-32C and CRC-32, computed in hardware,
 * summed by the body while it is written, see {@link ChunkedBytes#settle()}) and the batch's own
 * load headers. A finished label with this identity holds exactly these rows.
 *
 * <p>Labels may hold only {@code [-_A-Za-z0-9]} and at most 128 characters: names are sanitised
 * and the readable part is cut to fit; the identity is computed from the exact, uncut fields, so
 * two different batches never share a label.
 */
public final class LabelFormat {

    public static final int MAX_LENGTH = 128;
    static final int HASH_LENGTH = 16;
    private static final Pattern UNSAFE_CHARS = Pattern.compile("[^-_A-Za-z0-9]");

    private final String prefix;
    private final String connector;

    public LabelFormat(String prefix, String connector) {
        this.prefix = prefix;
        this.connector = connector;
    }

    /**
     * The label for a batch of {@code table} carrying {@code ranges} (ordered by topic and
     * partition) in {@code body}, sent with the batch's own {@code headers}.
     */
    public String labelFor(String table, List<PartitionRange> ranges, ChunkedBytes body, Map<String, String> headers) {
        StringBuilder readable = new StringBuilder();
        StringBuilder identity = new StringBuilder();
        for (String name : new String[] {prefix, connector, table}) {
            append(readable, identity, name);
        }
        for (PartitionRange range : ranges) {
            append(readable, identity, range.partition().topic());
            append(readable, identity, Integer.toString(range.partition().partition()));
            append(readable, identity, Long.toString(range.firstOffset()));
            append(readable, identity, Long.toString(range.lastOffset()));
        }
        identity.append("body:").append(contentChecksum(body)).append(';');
        for (Map.Entry<String, String> header : new TreeMap<>(headers).entrySet()) {
            identity.append("header:");
            append(new StringBuilder(), identity, header.getKey());
            append(new StringBuilder(), identity, header.getValue());
        }
        String text = UNSAFE_CHARS.matcher(readable).replaceAll("_");
        int room = MAX_LENGTH - HASH_LENGTH - 1;
        return (text.length() > room ? text.substring(0, room) : text) + "-" + hash(identity.toString());
    }

    /** The body's length and two independent checksums of its bytes. */
    static String contentChecksum(ChunkedBytes body) {
        ChunkedBytes.Checksums sums = body.checksums();
        return body.size() + ":" + Long.toHexString(sums.crc32c()) + ":" + Long.toHexString(sums.crc32());
    }

    /** Appends one field to the readable form and, length-prefixed, to the identity. */
    private static void append(StringBuilder readable, StringBuilder identity, String field) {
        if (readable.length() > 0) {
            readable.append('-');
        }
        readable.append(field);
        // Length-prefixed, so the identity of two different batches can never be the same text.
        identity.append(field.length()).append(':').append(field).append(';');
    }

    private static String hash(String identity) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
