package io.streamload.emulator.load;

import io.streamload.emulator.http.HttpRequest;

/**
 * The data headers the targets read differently: which header names the body's format and
 * compression, which flag headers they read and how they take a value that is not a boolean, and how
 * a {@code where} they cannot use is worded. Each dialect answers for its target; everything else in
 * {@link LoadOptions} is read the same way for both.
 */
public interface HeaderRules {
    /** The body's format, and the codec it is compressed with (null: not compressed). */
    record BodyFormat(LoadOptions.Format format, BodyCompression compression) {
    }

    BodyFormat bodyFormat(HttpRequest request) throws LoadFailure;

    boolean strictMode(HttpRequest request) throws LoadFailure;

    /** A zstd body that does not decode, with zstd's error name ({@code ZstandardStreamCompression::decompress}). */
    default String zstdFailure(String error) {
        return "ZSTD decompress failed. error: " + error;
    }

    /** Whether rows update only the columns they carry (StarRocks {@code partial_update}, Doris {@code partial_columns}). */
    boolean partialUpdate(HttpRequest request) throws LoadFailure;

    boolean stripOuterArray(HttpRequest request) throws LoadFailure;

    boolean readJsonByLine(HttpRequest request) throws LoadFailure;

    boolean twoPhaseCommit(HttpRequest request) throws LoadFailure;

    /** A {@code where} naming a column the table does not have. */
    LoadFailure whereUnknownColumn(String column);

    /**
     * A {@code where} that does not parse.
     *
     * @param where the header as sent
     * @param position where in it the parser stopped (0-based)
     * @param found the text found there, {@code <EOF>} at the end
     * @param expected what could have come there instead, as the parser lists it
     */
    LoadFailure whereSyntaxError(String where, int position, String found, String expected);

    /**
     * A flag both servers refuse unless it is {@code true} or {@code false} in any case: absent is
     * false, anything else fails with {@code refusal}.
     */
    static boolean trueOrFalse(String value, String refusal) throws LoadFailure {
        if (value == null || value.isEmpty() || iequals(value, "false")) {
            return false;
        }
        if (iequals(value, "true")) {
            return true;
        }
        throw new LoadFailure(ErrorCode.INVALID_ARGUMENT, refusal);
    }

    /** {@code value} equals {@code word} ignoring case, as {@code boost::iequals} and Doris' {@code iequal}. */
    static boolean iequals(String value, String word) {
        return value != null && value.equalsIgnoreCase(word);
    }
}
