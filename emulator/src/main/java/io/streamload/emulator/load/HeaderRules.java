package io.streamload.emulator.load;

import io.streamload.emulator.http.HttpRequest;

/**
 * The data headers the targets read differently: which header names the body's format and
 * compression, and which flag headers they read and how they take a value that is not a boolean.
 * Each dialect answers for its target; everything else in {@link LoadOptions} is read the same way
 * for both.
 */
public interface HeaderRules {
    /** The body's format, and the codec it is compressed with (null: not compressed). */
    record BodyFormat(LoadOptions.Format format, BodyCompression compression) {
    }

    BodyFormat bodyFormat(HttpRequest request) throws LoadFailure;

    boolean strictMode(HttpRequest request) throws LoadFailure;

    /** Whether rows update only the columns they carry (StarRocks {@code partial_update}, Doris {@code partial_columns}). */
    boolean partialUpdate(HttpRequest request) throws LoadFailure;

    boolean stripOuterArray(HttpRequest request) throws LoadFailure;

    boolean readJsonByLine(HttpRequest request) throws LoadFailure;

    boolean twoPhaseCommit(HttpRequest request) throws LoadFailure;

    /** {@code value} equals {@code word} ignoring case, as {@code boost::iequals} and Doris' {@code iequal}. */
    static boolean iequals(String value, String word) {
        return value != null && value.equalsIgnoreCase(word);
    }
}
