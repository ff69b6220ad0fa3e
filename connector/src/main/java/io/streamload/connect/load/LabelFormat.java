package io.streamload.connect.load;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

import io.streamload.connect.buffer.PartitionRange;

/**
 * Builds the Stream Load label of a batch from what the batch is, so the same records always get
 * the same label and a retry can never load them twice:
 * {@code <prefix>-<connector>-<table>-<topic>-<partition>-<first>-<last>}, with one
 * {@code <topic>-<partition>-<first>-<last>} group per partition, ordered by topic and partition.
 *
 * <p>Labels may hold only {@code [-_A-Za-z0-9]} and at most 128 characters. When the readable form
 * is not a faithful spelling of the batch (a name had to be sanitised, or contains the {@code -}
 * separator, which would make two batches read alike) or is too long, it is cut to fit and a
 * hash of the exact batch identity is appended, so two different batches never share a label.
 */
public final class LabelFormat {

    public static final int MAX_LENGTH = 128;
    static final int HASH_LENGTH = 16;
    private static final Pattern SAFE_NAME = Pattern.compile("[_A-Za-z0-9]+");
    private static final Pattern UNSAFE_CHARS = Pattern.compile("[^-_A-Za-z0-9]");

    private final String prefix;
    private final String connector;

    public LabelFormat(String prefix, String connector) {
        this.prefix = prefix;
        this.connector = connector;
    }

    /** The label for a batch of {@code table} carrying {@code ranges} (ordered by topic and partition). */
    public String labelFor(String table, List<PartitionRange> ranges) {
        StringBuilder readable = new StringBuilder();
        StringBuilder identity = new StringBuilder();
        boolean faithful = true;
        for (String name : new String[] {prefix, connector, table}) {
            faithful &= append(readable, identity, name);
        }
        for (PartitionRange range : ranges) {
            faithful &= append(readable, identity, range.partition().topic());
            append(readable, identity, Integer.toString(range.partition().partition()));
            append(readable, identity, Long.toString(range.firstOffset()));
            append(readable, identity, Long.toString(range.lastOffset()));
        }
        String text = UNSAFE_CHARS.matcher(readable).replaceAll("_");
        if (faithful && text.length() <= MAX_LENGTH) {
            return text;
        }
        String hash = hash(identity.toString());
        int room = MAX_LENGTH - HASH_LENGTH - 1;
        return (text.length() > room ? text.substring(0, room) : text) + "-" + hash;
    }

    /** Appends one field; returns whether it reads back unambiguously. */
    private static boolean append(StringBuilder readable, StringBuilder identity, String field) {
        if (readable.length() > 0) {
            readable.append('-');
        }
        readable.append(field);
        // Length-prefixed, so the identity of two different batches can never be the same text.
        identity.append(field.length()).append(':').append(field).append(';');
        return SAFE_NAME.matcher(field).matches();
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
