package io.streamload.connect.load;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of a load's error log (the ErrorURL): the reason a row was rejected and the row as the
 * target printed it. StarRocks writes {@code Error: <reason>. Row: <row>}; Doris writes
 * {@code Reason: <reason>. src line [<row>]; }. A line in neither shape is all reason.
 *
 * @param reason why the row was rejected
 * @param row the row as printed, empty when the target printed none
 */
public record ErrorLogLine(String reason, String row) {

    private static final Pattern STARROCKS = Pattern.compile("^Error: (.*?)\\. Row: (.*)$", Pattern.DOTALL);
    private static final Pattern DORIS = Pattern.compile("^Reason: (.*?)\\. src line \\[(.*)\\]; ?$", Pattern.DOTALL);

    public static ErrorLogLine parse(String line) {
        for (Pattern shape : new Pattern[] {STARROCKS, DORIS}) {
            Matcher m = shape.matcher(line);
            if (m.matches()) {
                return new ErrorLogLine(m.group(1), m.group(2).strip());
            }
        }
        return new ErrorLogLine(line.strip(), "");
    }
}
