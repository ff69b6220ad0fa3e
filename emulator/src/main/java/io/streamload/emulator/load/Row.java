package io.streamload.emulator.load;

/**
 * One accepted row in table column order. {@code present[i]} says whether column i was given by the
 * load, which partial updates need to keep the other columns of an existing row.
 */
public record Row(Object[] values, boolean[] present, boolean delete) {
}
