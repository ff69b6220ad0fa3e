package io.streamload.connect.encode;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The text forms StarRocks and Doris parse for dates and times: {@code yyyy-MM-dd},
 * {@code HH:mm:ss[.ffffff]} and {@code yyyy-MM-dd HH:mm:ss[.ffffff]}. The fraction is written only
 * when not zero, with six digits (DATETIME keeps microseconds; finer digits are dropped, not
 * rounded, so a value never moves to the next second).
 */
final class TemporalText {

    private TemporalText() {
    }

    static String date(LocalDate date) {
        StringBuilder out = new StringBuilder(10);
        appendDate(out, date);
        return out.toString();
    }

    static String time(LocalTime time) {
        StringBuilder out = new StringBuilder(15);
        appendTime(out, time);
        return out.toString();
    }

    static String dateTime(LocalDateTime dateTime) {
        StringBuilder out = new StringBuilder(26);
        appendDate(out, dateTime.toLocalDate());
        out.append(' ');
        appendTime(out, dateTime.toLocalTime());
        return out.toString();
    }

    /** An instant as the wall-clock time in {@code zone}. */
    static String instant(Instant instant, ZoneId zone) {
        return dateTime(LocalDateTime.ofInstant(instant, zone));
    }

    /** An epoch-based count that stands for a wall-clock time without zone (Debezium's Timestamp types). */
    static String localDateTime(long epochSeconds, long nanoOfSecond) {
        return dateTime(LocalDateTime.ofEpochSecond(epochSeconds, (int) nanoOfSecond, ZoneOffset.UTC));
    }

    private static void appendDate(StringBuilder out, LocalDate date) {
        int year = date.getYear();
        if (year < 0 || year > 9999) {
            out.append(year);
        } else {
            pad(out, year, 4);
        }
        out.append('-');
        pad(out, date.getMonthValue(), 2);
        out.append('-');
        pad(out, date.getDayOfMonth(), 2);
    }

    private static void appendTime(StringBuilder out, LocalTime time) {
        pad(out, time.getHour(), 2);
        out.append(':');
        pad(out, time.getMinute(), 2);
        out.append(':');
        pad(out, time.getSecond(), 2);
        int micros = time.getNano() / 1_000;
        if (micros != 0) {
            out.append('.');
            pad(out, micros, 6);
        }
    }

    private static void pad(StringBuilder out, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        out.append(digits);
    }
}
