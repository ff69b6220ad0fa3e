package io.streamload.connect.load;

/**
 * The classification of one load attempt.
 *
 * @param kind what it means for the records
 * @param rule the name of the table row that matched
 * @param advice what the user can do about it, empty when nothing
 */
public record LoadOutcome(OutcomeKind kind, String rule, String advice) {
}
