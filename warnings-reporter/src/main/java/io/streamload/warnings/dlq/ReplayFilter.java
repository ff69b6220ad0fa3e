package io.streamload.warnings.dlq;

import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Which DLQ records {@code dlq replay} sends back, from {@code --filter KEY=VALUE}:
 * {@code reason=TEXT} (the rejection reason contains TEXT, any case), {@code topic=T} (the
 * original topic), {@code partition=N} (the original partition), {@code offset=N} or
 * {@code offset=FIRST-LAST} (original offsets, inclusive). Several filters select the records
 * that match every one of them.
 */
public final class ReplayFilter {

    public static final String SYNTAX = "reason=TEXT, topic=T, partition=N, offset=N or offset=FIRST-LAST";

    private ReplayFilter() {
    }

    /** The records that match every filter of {@code texts}; everything when there is none. */
    public static Predicate<DlqRecord> parseAll(List<String> texts) {
        Predicate<DlqRecord> all = record -> true;
        for (String text : texts) {
            all = all.and(parse(text));
        }
        return all;
    }

    /** Everything, when {@code text} is null; a filter with an empty value is refused, not taken as "all". */
    public static Predicate<DlqRecord> parse(String text) {
        if (text == null) {
            return record -> true;
        }
        int equals = text.indexOf('=');
        if (equals <= 0) {
            throw new IllegalArgumentException("--filter '" + text + "' is not KEY=VALUE; use " + SYNTAX);
        }
        String key = text.substring(0, equals).trim().toLowerCase(Locale.ROOT);
        String value = text.substring(equals + 1).trim();
        if (value.isEmpty()) {
            // An empty text is contained in every reason: "reason=" would replay the whole DLQ.
            throw new IllegalArgumentException("--filter '" + text + "' has no value after '='; say what to match, "
                    + "e.g. reason=too long; use " + SYNTAX);
        }
        switch (key) {
            case "reason" -> {
                String needle = value.toLowerCase(Locale.ROOT);
                return record -> record.header(DlqRecord.EXCEPTION_MESSAGE)
                        .map(m -> m.toLowerCase(Locale.ROOT).contains(needle)).orElse(false);
            }
            case "topic" -> {
                return record -> record.header(DlqRecord.ORIGINAL_TOPIC).map(value::equals).orElse(false);
            }
            case "partition" -> {
                long partition = number(value, text);
                return record -> record.header(DlqRecord.ORIGINAL_PARTITION).map(p -> p.equals(Long.toString(partition)))
                        .orElse(false);
            }
            case "offset" -> {
                int dash = value.indexOf('-');
                long first = number(dash < 0 ? value : value.substring(0, dash), text);
                long last = dash < 0 ? first : number(value.substring(dash + 1), text);
                if (last < first) {
                    throw new IllegalArgumentException("--filter '" + text + "': the range ends before it starts");
                }
                return record -> record.header(DlqRecord.ORIGINAL_OFFSET).map(o -> {
                    long offset = Long.parseLong(o);
                    return offset >= first && offset <= last;
                }).orElse(false);
            }
            default -> throw new IllegalArgumentException("--filter: unknown key '" + key + "'; use " + SYNTAX);
        }
    }

    private static long number(String value, String filter) {
        try {
            long number = Long.parseLong(value.trim());
            if (number >= 0) {
                return number;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("--filter '" + filter + "': '" + value + "' is not a whole number >= 0");
    }
}
